package io.imageworker.training.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.training.RecipeBook;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import io.imageworker.testing.MnistFolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each segmentation recipe still trains: a few steps on a small slice, and the loss falls. */
class SegmentRecipeSmokeTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"seg-fcn", "seg-deconvnet", "seg-deeplab"})
    void lossFalls(String recipe) throws Exception {
        Path data = MnistFolder.create(tmp, 500);
        Path out = tmp.resolve("models");
        TrainingLog log = new TrainingLog(false);
        // 3 epochs of 6 steps of 32 scenes, measured on 20 scenes.
        ModelCard card = RecipeBook.get(recipe).train(
                new TrainRequest(data, out, 3, 1, "smoke-" + recipe, "1", 192, 20), log);
        List<Double> losses = log.losses();
        assertThat(losses).hasSize(3);
        assertThat(losses.get(2)).isLessThan(losses.get(0));
        assertThat(card.task()).isEqualTo("segment");
        assertThat(card.metric("mIoU").bar()).isEqualTo(SegmentEvaluation.MIOU_BAR);
        // quality, per-class range, digit groups and size are recorded; timings only after a full evaluation
        assertThat(ModelLoader.readCard(out.resolve("smoke-" + recipe).resolve("1")).metrics())
                .extracting(ModelCard.Metric::name).containsExactly("mIoU", "pixel-accuracy", "foreground-IoU",
                        "class-IoU-min", "class-IoU-max", "digit-recall", "digit-recall-small", "digit-recall-overlapping",
                        "parameters");
        assertThat(card.metric("parameters").value()).isGreaterThan(10_000);
        // train writes the ONNX form of the same network beside the MXNet model
        assertThat(out.resolve("smoke-" + recipe).resolve("1").resolve(card.weights() + ".onnx")).isNotEmptyFile();
    }
}
