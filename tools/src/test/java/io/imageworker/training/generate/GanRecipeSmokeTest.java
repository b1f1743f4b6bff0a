package io.imageworker.training.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.models.ModelCard;
import io.imageworker.training.RecipeBook;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import io.imageworker.testing.MnistFolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DCGAN recipe still trains: a few steps on a small slice, and the discriminator's loss falls. */
class GanRecipeSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void lossFalls() throws Exception {
        Path data = MnistFolder.create(tmp, 640);
        TrainingLog log = new TrainingLog(false);
        // 3 epochs of 10 steps of 64 digits; measured on 200 generated digits.
        ModelCard card = RecipeBook.get("dcgan").train(
                new TrainRequest(data, tmp.resolve("models"), 3, 1, "smoke-dcgan", "1", 640, 200), log);
        List<Double> losses = log.losses();
        assertThat(losses).hasSize(3);
        assertThat(losses.get(2)).isLessThan(losses.get(0));
        assertThat(card.task()).isEqualTo("generate");
        assertThat(card.metric("class-accuracy").bar()).isEqualTo(GenerationEvaluation.ACCURACY_BAR);
        assertThat(card.metric("inception-score").value()).isBetween(1.0, 10.0);
    }
}
