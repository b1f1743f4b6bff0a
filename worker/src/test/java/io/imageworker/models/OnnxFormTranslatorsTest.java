package io.imageworker.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.Translator;
import io.imageworker.datasets.Mnist;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.classify.ClassifierOutput;
import io.imageworker.tasks.classify.ClassifyTranslator;
import io.imageworker.tasks.faces.FaceAttributeTranslator;
import io.imageworker.tasks.localize.CamResult;
import io.imageworker.tasks.localize.LocalizeTranslator;
import io.imageworker.tasks.segment.SegmentMask;
import io.imageworker.tasks.segment.SegmentTranslator;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each built-in model with an image input that ships an ONNX form gives its task's translator the
 * same answers through ONNX Runtime as through MXNet: what {@code auto} switches to on a GPU machine
 * (masks pixel for pixel, CAM scores and maps, safe-search probabilities, face attributes, NanoDet's
 * scores and box distances within 1e-4).
 */
class OnnxFormTranslatorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"mnist-seg-fcn", "mnist-seg-deconvnet", "mnist-seg-deeplab", "mnist-cam", "nsfwjs-mobilenet-v2",
        "face-api-expression", "face-api-landmark-68", "nanodet-m-coco"})
    void theTranslatorGetsTheSameAnswersFromBothForms(String name) throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("onnx-forms"));
        var dir = repo.resolve(name).dir();
        ModelCard card = ModelLoader.readCard(dir);
        List<ImageTensor> batch = inputs(card.input(), card.task().equals("objects") ? 1 : 4); // nanodet: slow, one call a photo
        List<Object> mxnet = run(dir, false, batch);
        List<Object> onnx = run(dir, true, batch);
        for (int i = 0; i < batch.size(); i++) {
            Object a = mxnet.get(i);
            Object b = onnx.get(i);
            if (a instanceof SegmentMask m) {
                assertThat(((SegmentMask) b).classIndex()).as(name + " mask " + i).isEqualTo(m.classIndex());
            } else if (a instanceof CamResult c) {
                close(((CamResult) b).scores(), c.scores(), name + " scores");
                close(((CamResult) b).maps(), c.maps(), name + " maps");
            } else if (a instanceof io.imageworker.tasks.objects.NanodetOutput d) {
                var e = (io.imageworker.tasks.objects.NanodetOutput) b;
                for (int k = 0; k < 3; k++) {
                    close(e.scores().get(k), d.scores().get(k), name + " scores " + k);
                    close(e.boxes().get(k), d.boxes().get(k), name + " boxes " + k);
                }
            } else if (a instanceof ClassifierOutput c) {
                close(((ClassifierOutput) b).probabilities(), c.probabilities(), name + " probabilities");
            } else {
                close((float[]) b, (float[]) a, name + " attributes");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theGeneratorDrawsTheSamePixelsFromBothForms() throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("onnx-forms"));
        var dir = repo.resolve("mnist-dcgan").dir();
        java.util.Random r = new java.util.Random(7);
        List<io.imageworker.tasks.generate.GeneratorInput> batch = new ArrayList<>();
        for (int label = 0; label < 4; label++) {
            float[] z = new float[io.imageworker.tasks.generate.GenerateTranslator.DEFAULT_LATENT];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian();
            }
            batch.add(new io.imageworker.tasks.generate.GeneratorInput(z, label));
        }
        List<io.imageworker.tasks.generate.GeneratedImage> images = new ArrayList<>();
        for (boolean onnxForm : new boolean[] {false, true}) {
            try (LoadedModel m = ModelLoader.load(dir, c -> Device.cpu(), c -> onnxForm, ModelLoader.LoadOptions.DEFAULT);
                    Predictor<io.imageworker.tasks.generate.GeneratorInput, io.imageworker.tasks.generate.GeneratedImage> p =
                            m.newPredictor(new io.imageworker.tasks.generate.GenerateTranslator(
                                    io.imageworker.tasks.generate.GenerateTranslator.DEFAULT_LATENT,
                                    io.imageworker.tasks.generate.GenerateTranslator.DEFAULT_CLASSES))) {
                assertThat(m.onnxForm()).isEqualTo(onnxForm);
                images.addAll(p.batchPredict(batch));
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            close(images.get(batch.size() + i).pixels(), images.get(i).pixels(), "generated pixels " + i);
        }
    }

    /** MNIST test digits on the model's canvas (grey), or the same digits spread over the colour channels. */
    private static List<ImageTensor> inputs(ModelCard.Input in, int count) throws Exception {
        Mnist digits = Mnist.bundledTestSet();
        List<ImageTensor> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] x = new float[in.channels() * in.height() * in.width()];
            float[] d = digits.image(i * 11);
            int top = Math.max(0, (in.height() - Mnist.SIDE) / 2);
            for (int c = 0; c < in.channels(); c++) {
                for (int y = 0; y < Math.min(in.height(), Mnist.SIDE); y++) {
                    for (int xx = 0; xx < Math.min(in.width(), Mnist.SIDE); xx++) {
                        x[(c * in.height() + top + y) * in.width() + xx] = d[y * Mnist.SIDE + xx];
                    }
                }
            }
            out.add(new ImageTensor(x, in.channels(), in.height(), in.width()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> run(java.nio.file.Path dir, boolean onnxForm, List<ImageTensor> batch) throws Exception {
        try (LoadedModel m = ModelLoader.load(dir, c -> Device.cpu(), c -> onnxForm, ModelLoader.LoadOptions.DEFAULT)) {
            assertThat(m.onnxForm()).isEqualTo(onnxForm);
            Translator<ImageTensor, Object> t = (Translator<ImageTensor, Object>) translator(m.card());
            try (Predictor<ImageTensor, Object> p = m.newPredictor(t)) {
                return new ArrayList<>(p.batchPredict(batch));
            }
        }
    }

    private static Translator<ImageTensor, ?> translator(ModelCard card) {
        return switch (card.task()) {
            case "segment" -> new SegmentTranslator(card);
            case "localize" -> new LocalizeTranslator();
            case "safe-search" -> new ClassifyTranslator(card);
            case "faces" -> new FaceAttributeTranslator();
            case "objects" -> new io.imageworker.tasks.objects.NanodetTranslator();
            default -> throw new AssertionError(card.task());
        };
    }

    private static void close(float[] got, float[] want, String what) {
        assertThat(got).as(what).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]))).as(what + " [" + i + "]").isLessThanOrEqualTo(1e-4f);
        }
    }
}
