package io.imageworker.training.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.imageworker.datasets.Mnist;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.testing.Repo;
import io.imageworker.training.data.CanvasGenerator;
import io.imageworker.training.data.SceneGenerator;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ONNX form of every built-in model of the MNIST family matches its MXNet form: the committed
 * {@code <weights>.onnx} is exactly what the exporter writes from the shipped parameters, and ONNX
 * Runtime (CPU) on it gives MXNet's outputs within {@value #TOLERANCE} (absolute for values below 1 in
 * magnitude, relative above: the same float32 sums taken in another order) on the same inputs (real MNIST
 * test digits, the scenes and canvases the evaluations use, random inputs), with the same final
 * answers: labels, per-pixel classes, the CAM's maps, generated 8-bit pixels.
 *
 * <p>{@code -Donnx.write=true} rewrites the committed files from the parameters instead of comparing
 * (then update {@code index.txt}).
 */
class OnnxParityTest {

    static final float TOLERANCE = 1e-4f;

    static final Path MODELS = Repo.path("worker/src/main/resources/models");

    static Mnist digits;
    static OrtEnvironment env;

    @BeforeAll
    static void setUp() throws Exception {
        digits = Mnist.bundledTestSet();
        ai.djl.engine.Engine.getEngine(ModelLoader.ONNX_RUNTIME); // DJL creates the process's ORT environment first
        env = OrtEnvironment.getEnvironment();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist-cnn-bn/1", "mnist-cam/1", "mnist-seg-fcn/2", "mnist-seg-deconvnet/2",
        "mnist-seg-deeplab/1", "mnist-dcgan/1", "nsfwjs-mobilenet-v2/1", "face-api-expression/1", "face-api-landmark-68/1",
        "nanodet-m-coco/1"})
    void onnxRuntimeGivesMxnetsOutputsAndAnswers(String model) throws Exception {
        Path dir = MODELS.resolve(model);
        try (LoadedModel loaded = ModelLoader.load(dir, Device.cpu())) {
            ModelCard card = loaded.card();
            byte[] onnx = OnnxExport.export(loaded.model().getBlock(), card,
                    io.imageworker.training.checksums.Checksums.sha256(OnnxExport.paramsFile(dir, card)));
            Path committed = dir.resolve(OnnxExport.fileName(card));
            if (Boolean.getBoolean("onnx.write")) {
                Files.write(committed, onnx);
            }
            assertThat(Files.readAllBytes(committed)).as(committed + " is the export of the shipped parameters"
                    + " (regenerate with -Donnx.write=true)").isEqualTo(onnx);

            try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
                var meta = session.getMetadata();
                assertThat(meta.getProducerName()).isEqualTo(OnnxExport.PRODUCER);
                assertThat(meta.getCustomMetadata()).containsEntry("source.model", card.name())
                        .containsEntry("source.params.sha256", io.imageworker.training.checksums.Checksums.sha256(OnnxExport.paramsFile(dir, card)));
                assertThat(meta.getDescription()).contains(card.name() + " version " + card.version());
            }
            Inputs in = inputs(card, loaded.model().getBlock().getInputShapes()[0]);
            boolean oneAtATime = loaded.fixedBatch() == 1; // nanodet: converted with a batch of 1
            List<float[]> mx = oneAtATime ? perItem(in, i -> mxnet(loaded, i)) : mxnet(loaded, in);
            List<float[]> ort = oneAtATime ? perItem(in, i -> onnxRuntime(onnx, i)) : onnxRuntime(onnx, in);
            assertThat(ort).hasSameSizeAs(mx);
            for (int o = 0; o < mx.size(); o++) {
                assertThat(ort.get(o)).as(card.name() + " output " + o).hasSameSizeAs(mx.get(o));
                float worst = 0;
                float largest = 0;
                for (int i = 0; i < mx.get(o).length; i++) {
                    float a = mx.get(o)[i];
                    // absolute below 1 in magnitude, relative above: float32 sums of large values in another order
                    worst = Math.max(worst, Math.abs(a - ort.get(o)[i]) / Math.max(1, Math.abs(a)));
                    largest = Math.max(largest, Math.abs(a));
                }
                System.out.printf("%s output %s: %d values up to %.3g in magnitude, max |MXNet - ONNX Runtime| / max(1, |MXNet|) = %.3g%n",
                        card.name(), outputName(card, o), mx.get(o).length, largest, worst);
                assertThat(worst).as(card.name() + " output " + outputName(card, o)).isLessThanOrEqualTo(TOLERANCE);
            }
            sameAnswers(card, in, mx, ort);
        }
    }

    /** The task's final answers: argmax over classes (labels, per-pixel classes), 8-bit pixels of generated images. */
    private static void sameAnswers(ModelCard card, Inputs in, List<float[]> mx, List<float[]> ort) {
        switch (card.task()) {
            case "classify", "localize" -> assertThat(argmax(ort.get(0), in.n, 10, 1)).as(card.name() + " labels")
                    .isEqualTo(argmax(mx.get(0), in.n, 10, 1));
            case "segment" -> {
                int pixels = in.shape[2] * in.shape[3];
                assertThat(argmax(ort.get(0), in.n, 11, pixels)).as(card.name() + " masks")
                        .isEqualTo(argmax(mx.get(0), in.n, 11, pixels));
            }
            case "generate" -> assertThat(bytes(ort.get(0))).as(card.name() + " pixels").isEqualTo(bytes(mx.get(0)));
            // safe-search likelihoods' top class, face expressions' top class; landmarks are positions, held above
            case "safe-search", "faces" -> assertThat(argmax(ort.get(0), in.n, ort.get(0).length / in.n, 1)).as(card.name() + " top class")
                    .isEqualTo(argmax(mx.get(0), in.n, mx.get(0).length / in.n, 1));
            case "objects" -> {
                // what the detector keeps: every (anchor, class) scoring over 0.3, in the three score outputs
                for (int o = 0; o < 3; o++) {
                    assertThat(over(ort.get(o), 0.3f)).as(card.name() + " detections of output " + o).isEqualTo(over(mx.get(o), 0.3f));
                }
            }
            default -> throw new AssertionError(card.task());
        }
        if (card.task().equals("localize")) {
            assertThat(argmax(ort.get(1), in.n * 10, in.shape[2] * in.shape[3] / 16, 1)).as("CAM heatmap peaks")
                    .isEqualTo(argmax(mx.get(1), in.n * 10, in.shape[2] * in.shape[3] / 16, 1));
        }
    }

    record Inputs(float[] data, int n, int[] shape) {}

    /** 8 real inputs (digits, scenes, canvases or one latent per class) and 4 random ones of the model's input shape. */
    private static Inputs inputs(ModelCard card, Shape shape) throws Exception {
        int size = (int) (shape.size() / shape.get(0));
        Random random = new Random(30);
        List<float[]> items = new ArrayList<>();
        switch (card.task()) {
            case "classify" -> {
                for (int i = 0; i < 8; i++) {
                    items.add(digits.image(i * 37));
                }
            }
            case "segment" -> items.addAll(SceneGenerator.standard(digits).images(SceneGenerator.TEST_SEED, 8));
            case "localize" -> items.addAll(CanvasGenerator.standard(digits).images(CanvasGenerator.TEST_SEED, 8));
            case "objects" -> {
                // one real photo of the detector's own parity set on its 416 x 416 grey canvas (each nanodet call is slow here)
                var ref = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(Repo.path("tools/src/test/resources/tfjs/nanodet-reference.json").toFile());
                items.add(canvas(Repo.path(ref.path("photos").get(0).path("photo").asText()), (int) shape.get(2)));
            }
            case "safe-search", "faces" -> {
                // smooth images (gradients and blobs), then the random ones below
                for (int i = 0; i < 4; i++) {
                    float[] x = new float[size];
                    for (int k = 0; k < size; k++) {
                        x[k] = (float) (0.5 + 0.5 * Math.sin(k * (i + 1) * 0.001 + i));
                    }
                    items.add(x);
                }
            }
            case "generate" -> {
                int classes = 10;
                for (int i = 0; i < 8; i++) {
                    float[] z = new float[size];
                    for (int k = 0; k < size - classes; k++) {
                        z[k] = (float) random.nextGaussian();
                    }
                    z[size - classes + i % classes] = 1;
                    items.add(z);
                }
            }
            default -> throw new AssertionError(card.task());
        }
        for (int r = 0; r < (card.task().equals("objects") ? 0 : 4); r++) { // nanodet: one a call, kept short
            float[] x = new float[size];
            for (int k = 0; k < size; k++) {
                x[k] = random.nextFloat();
            }
            items.add(x);
        }
        float[] all = new float[items.size() * size];
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i)).hasSize(size);
            System.arraycopy(items.get(i), 0, all, i * size, size);
        }
        int[] dims = new int[shape.dimension()];
        dims[0] = items.size();
        for (int d = 1; d < dims.length; d++) {
            dims[d] = (int) shape.get(d);
        }
        return new Inputs(all, items.size(), dims);
    }

    private static List<float[]> mxnet(LoadedModel model, Inputs in) {
        long[] dims = java.util.Arrays.stream(in.shape).asLongStream().toArray();
        try (NDManager m = model.model().getNDManager().newSubManager()) {
            NDList x = new NDList(m.create(in.data, new Shape(dims)));
            ParameterStore store = new ParameterStore(m, false);
            List<float[]> out = new ArrayList<>();
            if (model.card().task().equals("classify")) {
                // logits and the penultimate features, as the ONNX form's two outputs
                var layers = ((ai.djl.nn.SequentialBlock) model.model().getBlock()).getChildren().values();
                NDList h = x;
                for (int l = 0; l < layers.size() - 1; l++) {
                    h = layers.get(l).forward(store, h, false);
                }
                out.add(layers.get(layers.size() - 1).forward(store, h, false).singletonOrThrow().toFloatArray());
                out.add(h.singletonOrThrow().toFloatArray());
                return out;
            }
            for (NDArray a : model.model().getBlock().forward(store, x, false)) {
                out.add(a.toFloatArray());
            }
            return out;
        }
    }

    private static List<float[]> onnxRuntime(byte[] onnx, Inputs in) throws Exception {
        long[] dims = java.util.Arrays.stream(in.shape).asLongStream().toArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.data), dims);
                    OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, x))) {
                List<float[]> out = new ArrayList<>();
                for (var e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer b = t.getFloatBuffer();
                    float[] a = new float[b.remaining()];
                    b.get(a);
                    out.add(a);
                }
                return out;
            }
        }
    }

    private static String outputName(ModelCard card, int o) {
        List<String> names = OnnxExport.outputNames(card);
        return o < names.size() ? names.get(o) : "output_" + o;
    }

    /** A photo centred on a {@code side} x {@code side} canvas of grey 114, RGB / 255, NCHW (nanodet's input). */
    static float[] canvas(Path png, int side) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        float[] px = new float[3 * side * side];
        int x0 = Math.floorDiv(side - img.getWidth(), 2);
        int y0 = Math.floorDiv(side - img.getHeight(), 2);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sx = x - x0;
                int sy = y - y0;
                int rgb = sx >= 0 && sy >= 0 && sx < img.getWidth() && sy < img.getHeight() ? img.getRGB(sx, sy) : 0x727272;
                for (int c = 0; c < 3; c++) {
                    px[(c * side + y) * side + x] = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                }
            }
        }
        return px;
    }

    interface Run {
        List<float[]> apply(Inputs in) throws Exception;
    }

    /** {@code run} on each item alone, the outputs concatenated in item order. */
    private static List<float[]> perItem(Inputs in, Run run) throws Exception {
        int size = in.data.length / in.n;
        List<List<float[]>> parts = new ArrayList<>();
        for (int i = 0; i < in.n; i++) {
            int[] shape = in.shape.clone();
            shape[0] = 1;
            parts.add(run.apply(new Inputs(java.util.Arrays.copyOfRange(in.data, i * size, (i + 1) * size), 1, shape)));
        }
        List<float[]> out = new ArrayList<>();
        for (int o = 0; o < parts.get(0).size(); o++) {
            int len = parts.get(0).get(o).length;
            float[] all = new float[len * in.n];
            for (int i = 0; i < in.n; i++) {
                System.arraycopy(parts.get(i).get(o), 0, all, i * len, len);
            }
            out.add(all);
        }
        return out;
    }

    /** Indices of the values over {@code threshold}. */
    static List<Integer> over(float[] v, float threshold) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (v[i] > threshold) {
                out.add(i);
            }
        }
        return out;
    }

    /** Index of the largest of {@code classes} values for each of {@code n x positions} (class axis before positions). */
    static int[] argmax(float[] v, int n, int classes, int positions) {
        int[] out = new int[n * positions];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < positions; p++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (v[(i * classes + c) * positions + p] > v[(i * classes + best) * positions + p]) {
                        best = c;
                    }
                }
                out[i * positions + p] = best;
            }
        }
        return out;
    }

    /** Pixels in [-1, 1] as the generate task's 8-bit grey levels. */
    static int[] bytes(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round((Math.max(-1, Math.min(1, v[i])) + 1) / 2 * 255);
        }
        return out;
    }
}
