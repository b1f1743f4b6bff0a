package io.imageworker.inference.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.LoadedModel;
import io.imageworker.tasks.classify.ClassifierOutput;
import io.imageworker.tasks.classify.ClassifyTranslator;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.datasets.Mnist;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tap leaves the classifier's answers as they are and adds its penultimate features. */
class PenultimateTapTest {

    @Test
    void logitsAreTheSameWithAndWithoutTheTap() throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("tap"));
        Mnist test = Mnist.bundledTestSet().head(64);
        List<ImageTensor> batch = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            batch.add(new ImageTensor(test.image(i), 1, Mnist.SIDE, Mnist.SIDE));
        }
        List<ClassifierOutput> plain;
        List<ClassifierOutput> tapped;
        try (LoadedModel a = ModelLoader.load(repo.resolve("mnist-cnn-bn").dir(), Device.cpu());
                Predictor<ImageTensor, ClassifierOutput> p = a.newPredictor(new ClassifyTranslator(a.card()))) {
            plain = p.batchPredict(batch);
        }
        try (LoadedModel b = ModelLoader.load(repo.resolve("mnist-cnn-bn").dir(), Device.cpu())) {
            PenultimateTap.install(b.model());
            try (Predictor<ImageTensor, ClassifierOutput> p = b.newPredictor(new ClassifyTranslator(b.card()))) {
                tapped = p.batchPredict(batch);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            assertThat(plain.get(i).features()).isNull();
            float[] f = tapped.get(i).features();
            assertThat(f).hasSize(200);
            for (float v : f) {
                assertThat(v).isGreaterThanOrEqualTo(0f); // after ReLU
            }
            for (int c = 0; c < 10; c++) {
                assertThat(tapped.get(i).logits()[c]).isCloseTo(plain.get(i).logits()[c], within(1e-4f));
            }
        }
    }
}
