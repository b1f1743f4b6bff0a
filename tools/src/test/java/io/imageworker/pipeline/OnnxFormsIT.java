package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.imaging.Png;
import io.imageworker.models.ModelRepository;
import io.imageworker.storage.S3Location;
import io.imageworker.training.data.SceneGenerator;
import io.imageworker.training.segment.SegmentationMetrics;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The project's own models served through their exported ONNX forms by the packaged worker, through the real
 * broker and object store: with {@code image-worker.inference.per-model.<name>.engine=onnx} for the
 * classifier, the DeepLab and DeconvNet segmenters (dilated convolutions; max unpooling) and the generator,
 * the worker says it loaded each as
 * {@code onnx}, reads digits as their labels, segments scenes of digits at or above each segmenter's mIoU
 * bar, and draws digits the classifier reads as the labels asked for. The forms' numbers against MXNet are held by {@code OnnxParityTest} and
 * {@code OnnxFormTranslatorsTest}; this is the path a GPU worker with {@code auto} takes.
 */
class OnnxFormsIT {

    static final List<String> MODELS = List.of("mnist-cnn-bn", "mnist-seg-deeplab", "mnist-seg-deconvnet", "mnist-dcgan");
    static final Pattern LOADED = Pattern.compile("loaded model (\\S+?):\\S+ \\((\\S+), (\\S+)\\)");
    static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void theOwnModelsServeThroughTheirOnnxForms() throws Exception {
        LocalStack stack = LocalStack.shared();
        WorkerTopics topics = WorkerTopics.create(stack, "onnx-forms", 1);
        List<String> digits = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, topics.jobs() + "/" + i + ".png");
            stack.objectStore().write(loc, Digits.png(i), "image/png");
            digits.add(loc.toString());
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        MODELS.forEach(m -> jvm.add("-Dimage-worker.inference.per-model." + m + ".engine=onnx"));
        Map<String, String> env = new java.util.HashMap<>(topics.env(Map.of()));
        env.put("IMAGE_WORKER_MODELS_PRELOAD", "classify,segment,generate");
        try (EventLog events = new EventLog(stack.bootstrap(), List.of(topics.results()));
                WorkerProcess w = WorkerProcess.launch(stack, topics.jobs(), env, jvm)) {
            w.awaitReady(Duration.ofSeconds(240));
            JsonNode read = run(events, topics, "classify", null, digits, "{\"topK\":1}");
            int right = 0;
            for (int i = 0; i < digits.size(); i++) {
                right += read.path("items").get(i).path("labels").path(0).path("label").asText()
                        .equals(Integer.toString(Digits.label(i))) ? 1 : 0;
            }
            assertThat(right).as("digits read as their label through the ONNX form").isGreaterThanOrEqualTo(31);

            // segmenters on the scenes they were trained for (a lone digit is out of their distribution and abstained on)
            SceneGenerator scenes = SceneGenerator.standard(Digits.testSet());
            List<SceneGenerator.Scene> truth = new ArrayList<>();
            List<String> sceneUris = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SceneGenerator.Scene scene = scenes.scene(777, i);
                truth.add(scene);
                S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, topics.jobs() + "/scene-" + i + ".png");
                stack.objectStore().write(loc, Png.encode(Png.grey(scene.image(), scene.side(), scene.side())), "image/png");
                sceneUris.add(loc.toString());
            }
            ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("onnx-forms-cards"));
            for (String segmenter : List.of("mnist-seg-deeplab", "mnist-seg-deconvnet")) {
                JsonNode masks = run(events, topics, "segment", segmenter, sceneUris, null);
                SegmentationMetrics metrics = new SegmentationMetrics(SceneGenerator.CLASSES);
                for (int i = 0; i < truth.size(); i++) {
                    String mask = masks.path("items").get(i).path("artifacts").path("mask").asText();
                    BufferedImage image = ImageIO.read(new ByteArrayInputStream(stack.objectStore().read(S3Location.parse(mask), 1 << 20)));
                    metrics.add(truth.get(i).labels(), image.getRaster().getPixels(0, 0, 64, 64, (int[]) null));
                }
                double bar = repo.resolve(segmenter).card().metric("mIoU").bar();
                assertThat(metrics.meanIou()).as("%s mIoU through its ONNX form on %d scenes", segmenter, truth.size())
                        .isGreaterThanOrEqualTo(bar);
            }

            JsonNode drawn = run(events, topics, "generate", null, List.of(),
                    "{\"count\":10,\"seed\":42,\"labels\":[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}");
            List<String> copies = new ArrayList<>();
            for (JsonNode item : drawn.path("items")) {
                copies.add(item.path("artifacts").path("image").asText());
            }
            assertThat(copies).hasSize(10);
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < copies.size(); i++) { // generated images are outputs: copied to the input bucket to be read
                S3Location copy = new S3Location(LocalStack.INPUT_BUCKET, topics.jobs() + "/generated-" + i + ".png");
                stack.objectStore().write(copy, stack.objectStore().read(S3Location.parse(copies.get(i)), 1 << 20), "image/png");
                inputs.add(copy.toString());
            }
            JsonNode again = run(events, topics, "classify", null, inputs, "{\"topK\":1}");
            int asked = 0;
            for (int i = 0; i < inputs.size(); i++) {
                asked += again.path("items").get(i).path("labels").path(0).path("label").asText().equals(Integer.toString(i)) ? 1 : 0;
            }
            assertThat(asked).as("generated digits read as the labels asked for").isGreaterThanOrEqualTo(9);

            // every one of them was served by its ONNX form (a pinned model loads when its first job comes)
            Map<String, String> formats = new java.util.HashMap<>();
            Matcher m = LOADED.matcher(w.log());
            while (m.find()) {
                formats.put(m.group(1), m.group(3));
            }
            for (String model : MODELS) {
                assertThat(formats.get(model)).as("%s loaded as (in the worker's log: %s)", model, formats).isEqualTo("onnx");
            }
        }
    }

    private static JsonNode run(EventLog events, WorkerTopics topics, String task, String model, List<String> uris,
            String options) {
        String id = topics.jobs() + "-" + task + "-" + java.util.UUID.randomUUID();
        events.produce(topics.jobs(), id, ModelTasksJobTest.job(id, task, model, uris, options));
        JsonNode result = events.result(topics.results(), id, WAIT);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        return result;
    }
}
