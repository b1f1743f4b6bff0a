package io.imageworker.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import io.imageworker.datasets.Mnist;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.inference.ood.PenultimateTap;
import io.imageworker.tasks.classify.ClassifierOutput;
import io.imageworker.tasks.classify.ClassifyTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A built-in model that ships both forms serves through ONNX Runtime when asked: the classifier's
 * translator gets the same probabilities, labels and penultimate features from the exported graph as
 * from MXNet with the tap (the exporter's own parity test is in the tools' module).
 */
class OnnxFormTest {

    @Test
    void mnistCnnBnServesTheSameAnswersThroughItsOnnxForm() throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("onnx-form"));
        Path dir = repo.resolve("mnist-cnn-bn").dir();
        Mnist test = Mnist.bundledTestSet().head(64);
        List<ImageTensor> batch = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            batch.add(new ImageTensor(test.image(i), 1, Mnist.SIDE, Mnist.SIDE));
        }
        List<ClassifierOutput> mxnet;
        List<ClassifierOutput> onnx;
        try (LoadedModel a = ModelLoader.load(dir, Device.cpu())) {
            PenultimateTap.install(a.model());
            try (Predictor<ImageTensor, ClassifierOutput> p = a.newPredictor(new ClassifyTranslator(a.card()))) {
                mxnet = p.batchPredict(batch);
            }
        }
        try (LoadedModel b = ModelLoader.load(dir, card -> Device.cpu(), card -> true, ModelLoader.LoadOptions.DEFAULT);
                Predictor<ImageTensor, ClassifierOutput> p = b.newPredictor(new ClassifyTranslator(b.card()))) {
            assertThat(b.onnxForm()).isTrue();
            assertThat(b.card().formatOrDefault()).isEqualTo(ModelCard.FORMAT_ONNX);
            assertThat(b.concurrentCalls()).isTrue();
            onnx = p.batchPredict(batch);
        }
        for (int i = 0; i < batch.size(); i++) {
            assertThat(onnx.get(i).features()).hasSize(200);
            for (int k = 0; k < 200; k++) {
                assertThat(onnx.get(i).features()[k]).isCloseTo(mxnet.get(i).features()[k], within(1e-4f));
            }
            for (int c = 0; c < 10; c++) {
                assertThat(onnx.get(i).logits()[c]).isCloseTo(mxnet.get(i).logits()[c], within(1e-4f));
            }
            assertThat(argmax(onnx.get(i).probabilities())).as("label of digit " + i).isEqualTo(argmax(mxnet.get(i).probabilities()));
        }
    }

    @Test
    void askingForAnOnnxFormThatIsNotThereSaysSo() throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("onnx-form"));
        Path src = repo.resolve("mnist-cnn-bn").dir();
        Path dir = Files.createTempDirectory("no-onnx-form");
        for (String f : List.of("model.json", "mnist-cnn-bn-0000.params")) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        assertThatThrownBy(() -> ModelLoader.load(dir, card -> Device.cpu(), card -> true, ModelLoader.LoadOptions.DEFAULT))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("has no mnist-cnn-bn.onnx");
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
