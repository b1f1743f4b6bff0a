package io.imageworker.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed models of the segment, localize and generate tasks still reach their bars,
 * measured through the serving translators on data the application carries: on the first part of
 * each held-out set (400 of the 1,000 scenes or canvases, 2,000 of the 10,000 generated digits) to
 * keep the suite short on a 2-core machine; {@code evaluate} measures the full sets.
 */
class BuiltInTaskModelsTest {

    @TempDir
    static Path cache;

    /**
     * Every built-in segmentation model (so a new one is held as soon as it ships), the CAM model
     * and the DCGAN, with the share of their held-out set measured here.
     */
    static List<Arguments> models() throws java.io.IOException {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, java.nio.file.Files.createTempDirectory("cards"));
        List<Arguments> out = new java.util.ArrayList<>();
        for (String name : repo.names()) {
            if (repo.resolve(name).card().task().equals("segment")) {
                out.add(Arguments.of(name, "segment", 400));
            }
        }
        out.add(Arguments.of("mnist-cam", "localize", 400));
        out.add(Arguments.of("mnist-dcgan", "generate", 2000));
        return out;
    }

    @ParameterizedTest
    @MethodSource("models")
    void reachesItsBars(String name, String task, int limit) throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, cache);
        ModelRepository.Resolved resolved = repo.resolve(name);
        ModelCard card = resolved.card();
        assertThat(card.task()).isEqualTo(task);
        io.imageworker.tasks.ServesModels handler = switch (task) {
            case "segment" -> new io.imageworker.tasks.segment.SegmentTask();
            case "localize" -> new io.imageworker.tasks.localize.LocalizeTask();
            default -> new io.imageworker.tasks.generate.GenerateTask();
        };
        assertThat(handler.task()).isEqualTo(task);
        assertThat(handler.translator(card)).isNotNull();
        List<ModelCard.Metric> measured;
        try (LoadedModel model = ModelLoader.load(resolved.dir(), Device.cpu())) {
            measured = Evaluations.forTask(task).evaluate(model, limit);
        }
        assertThat(measured).isNotEmpty();
        int withBar = 0;
        for (ModelCard.Metric m : measured) {
            ModelCard.Metric recorded = card.metric(m.name());
            assertThat(recorded).as("card records " + m.name()).isNotNull();
            if (recorded.bar() != null) {
                withBar++;
                assertThat(recorded.meets(m.value())).as(name + " " + m.name() + " " + m.value() + " against " + recorded.bar()).isTrue();
            }
        }
        assertThat(withBar).isPositive();
    }
}
