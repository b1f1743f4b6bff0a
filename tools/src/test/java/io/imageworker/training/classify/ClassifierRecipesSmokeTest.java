package io.imageworker.training.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.models.ModelCard;
import io.imageworker.testing.MnistFolder;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rung of the ladder still trains: on a small slice, its loss falls and it writes a loadable card. */
class ClassifierRecipesSmokeTest {

    @TempDir
    static Path out;

    static List<ClassifierRecipe> ladder() {
        return ClassifierRecipe.ladder();
    }

    @ParameterizedTest
    @MethodSource("ladder")
    void trainsOnASlice(ClassifierRecipe recipe) throws Exception {
        Path data = MnistFolder.create(Files.createDirectories(out.resolve("mnist")), 2000);
        TrainingLog log = new TrainingLog(false);
        ModelCard card = recipe.train(new TrainRequest(data, out, 3, 7, "smoke-" + recipe.name(), "1", 2000, 500), log);
        List<Double> losses = log.losses();
        assertThat(losses).hasSize(3);
        assertThat(losses.get(2)).as("loss after 3 epochs vs after 1, " + recipe.name()).isLessThan(losses.get(0));
        assertThat(card.metric("accuracy").value()).as(recipe.name()).isGreaterThan(0.3);
        assertThat(Files.exists(out.resolve("smoke-" + recipe.name()).resolve("1").resolve("model.json"))).isTrue();
    }
}
