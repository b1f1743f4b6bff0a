package io.imageworker.training.localize;

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

/** The CAM recipe still trains: a few steps on a small slice, the loss falls, a threshold is chosen. */
class LocalizeRecipeSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void lossFalls() throws Exception {
        Path data = MnistFolder.create(tmp, 500);
        TrainingLog log = new TrainingLog(false);
        ModelCard card = RecipeBook.get("cam").train(
                new TrainRequest(data, tmp.resolve("models"), 3, 1, "smoke-cam", "1", 320, 20), log);
        List<Double> losses = log.losses();
        assertThat(losses).hasSize(3);
        assertThat(losses.get(2)).isLessThan(losses.get(0));
        assertThat(card.task()).isEqualTo("localize");
        assertThat(card.taskOption(LocalizeEvaluation.THRESHOLD_OPTION, -1)).isBetween(0.05, 0.9);
        assertThat(card.metric("pointing-game").bar()).isEqualTo(LocalizeEvaluation.POINTING_BAR);
    }
}
