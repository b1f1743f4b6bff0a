package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.imaging.Box;
import io.imageworker.imaging.Png;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelRepository;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.imageworker.training.data.CanvasGenerator;
import io.imageworker.training.data.SceneGenerator;
import io.imageworker.training.segment.SegmentationMetrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model tasks through the real stack on inputs whose truth is known: generated scenes for
 * segment, canvases with placed digits for localize, and the project's classifier for generate.
 * Artifacts are read back from object storage and checked as images of the right size.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class ModelTasksJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(180);

    /** Every built-in segmentation model (DeepLab, FCN-8s, DeconvNet once shipped): a job chooses one by {@code model}. */
    static List<String> segmentModels() throws java.io.IOException {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("cards"));
        List<String> out = new ArrayList<>();
        for (String name : repo.names()) {
            if (repo.resolve(name).card().task().equals("segment")) {
                out.add(name);
            }
        }
        return out;
    }

    @Test
    void theSegmentersAreBuiltIn() throws Exception {
        assertThat(segmentModels()).contains("mnist-seg-deeplab");
    }

    @ParameterizedTest
    @MethodSource("segmentModels")
    void segmentationOfGeneratedScenesReachesTheModelsBar(String model) throws Exception {
        SceneGenerator scenes = SceneGenerator.standard(Digits.testSet());
        int n = 100;
        String jobId = "segment-" + model + "-" + UUID.randomUUID();
        List<SceneGenerator.Scene> truth = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SceneGenerator.Scene s = scenes.scene(777, i);
            truth.add(s);
            uris.add(upload(jobId + "/" + i + ".png", Png.encode(Png.grey(s.image(), s.side(), s.side()))));
        }
        // the default model by default, any other by name
        JsonNode result = run(jobId, "segment", model.equals("mnist-seg-deeplab") ? null : model, uris, null);
        assertThat(result.path("model").path("name").asText()).isEqualTo(model);

        SegmentationMetrics metrics = new SegmentationMetrics(SceneGenerator.CLASSES);
        for (int i = 0; i < n; i++) {
            JsonNode item = result.path("items").get(i);
            BufferedImage mask = image(item.path("artifacts").path("mask").asText());
            BufferedImage overlay = image(item.path("artifacts").path("overlay").asText());
            assertThat(mask.getWidth()).isEqualTo(64);
            assertThat(mask.getHeight()).isEqualTo(64);
            assertThat(mask.getRaster().getNumBands()).as("one byte per pixel").isEqualTo(1);
            assertThat(mask.getColorModel().getPixelSize()).isEqualTo(8);
            assertThat(overlay.getWidth()).isEqualTo(64);
            int[] predicted = mask.getRaster().getPixels(0, 0, 64, 64, (int[]) null);
            metrics.add(truth.get(i).labels(), predicted);
            double sum = 0;
            for (var f : (Iterable<JsonNode>) () -> item.path("classFractions").elements()) {
                sum += f.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.01));
        }
        ModelCard card = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("cards"))
                .resolve(result.path("model").path("name").asText() + ":" + result.path("model").path("version").asText()).card();
        double bar = card.metric("mIoU").bar();
        assertThat(metrics.meanIou()).as("mIoU over %d scenes through the worker", n).isGreaterThanOrEqualTo(bar);
    }

    /**
     * One job runs the other two segmenters beside its own on every scene: the job's answer is as
     * without comparison, each compared model's mask and overlay are in the object store under keys
     * that name it, its class shares are the ones its own job gives and its mask holds, and the report
     * shows the three overlays side by side captioned with the model ids.
     */
    @Test
    void oneJobComparesTheSegmentersSideBySide() throws Exception {
        SceneGenerator scenes = SceneGenerator.standard(Digits.testSet());
        String jobId = "segment-compare-" + UUID.randomUUID();
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SceneGenerator.Scene s = scenes.scene(777, i);
            uris.add(upload(jobId + "/" + i + ".png", Png.encode(Png.grey(s.image(), s.side(), s.side()))));
        }
        List<String> others = List.of("mnist-seg-fcn:2", "mnist-seg-deconvnet:2");
        JsonNode result = run(jobId, "segment", null, uris, "{\"compare\":[\"mnist-seg-fcn\",\"mnist-seg-deconvnet:2\"]}");
        JsonNode alone = run("segment-fcn-alone-" + UUID.randomUUID(), "segment", "mnist-seg-fcn", uris, null);
        assertThat(result.path("model").path("name").asText()).isEqualTo("mnist-seg-deeplab");

        String html = Files.readString(TasksJobTest.localFile(result.path("artifacts").path("report").asText()));
        for (int i = 0; i < uris.size(); i++) {
            JsonNode item = result.path("items").get(i);
            assertThat(item.path("artifacts").fieldNames()).toIterable().containsExactly("mask", "overlay",
                    "mask-" + others.get(0), "overlay-" + others.get(0), "mask-" + others.get(1), "overlay-" + others.get(1));
            assertThat(item.path("compared").fieldNames()).toIterable().containsExactlyElementsOf(others);
            assertMaskHoldsTheShares(item.path("artifacts").path("mask").asText(), item.path("classFractions"));
            for (String id : others) {
                String folder = "/items/0000" + i + "/compare/" + id.replace(':', '/') + "/";
                assertThat(item.path("artifacts").path("mask-" + id).asText()).endsWith(folder + "mask.png");
                assertThat(item.path("artifacts").path("overlay-" + id).asText()).endsWith(folder + "overlay.png");
                assertThat(image(item.path("artifacts").path("overlay-" + id).asText()).getWidth()).isEqualTo(64);
                assertMaskHoldsTheShares(item.path("artifacts").path("mask-" + id).asText(),
                        item.path("compared").path(id).path("classFractions"));
                assertThat(html).contains("src=\"items/0000" + i + "/compare/" + id.replace(':', '/') + "/overlay.png\"><figcaption>"
                        + id + "</figcaption>");
            }
            assertThat(html).contains("src=\"items/0000" + i + "/overlay.png\"><figcaption>mnist-seg-deeplab:1</figcaption>");
            assertThat(item.path("compared").path("mnist-seg-fcn:2").path("classFractions"))
                    .as("FCN-8s compared gives what FCN-8s alone gives").isEqualTo(alone.path("items").get(i).path("classFractions"));
        }
        assertThat(html).as("masks are not shown").doesNotContain("mask.png\"><figcaption>").contains("class=\"card row\"");
    }

    /** The class shares an item reports are the shares of the class ids in its mask PNG. */
    static void assertMaskHoldsTheShares(String maskUri, JsonNode fractions) throws Exception {
        BufferedImage mask = image(maskUri);
        int[] ids = mask.getRaster().getPixels(0, 0, mask.getWidth(), mask.getHeight(), (int[]) null);
        List<String> labels = List.of("background", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        long[] counts = new long[labels.size()];
        for (int id : ids) {
            counts[id]++;
        }
        assertThat(fractions.size()).isPositive();
        for (int c = 0; c < counts.length; c++) {
            assertThat(fractions.path(labels.get(c)).asDouble()).as("share of %s in %s", labels.get(c), maskUri)
                    .isCloseTo(counts[c] / (double) ids.length, org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    /** An unusable {@code compare} is dead-lettered with the reason, before any item runs. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "[\"no-such-segmenter\"]                      | unknown-model | options.compare: ",
        "[\"mnist-cnn-bn\"]                           | unknown-model | does classify, not segment",
        "[\"mnist-seg-fcn\",\"mnist-seg-fcn:2\"]      | invalid-job   | which the list already names",
        "[\"mnist-seg-deeplab:1\"]                    | invalid-job   | is the job's own model",
        "[\"a\",\"b\",\"c\",\"d\",\"e\"]              | invalid-job   | /options/compare",
    })
    void anUnusableCompareIsDeadLettered(String compare, String code, String reason) throws Exception {
        String jobId = "segment-compare-bad-" + UUID.randomUUID();
        String uri = upload(jobId + "/0.png", Png.encode(Png.grey(new byte[64 * 64], 64, 64)));
        events.produce("image-jobs", jobId, job(jobId, "segment", null, List.of(uri), "{\"compare\":" + compare + "}"));
        org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> dead =
                events.await("image-jobs-dlq", r -> jobId.equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo(code);
        assertThat(envelope.path("dlq-reason").asText()).contains(reason);
        JsonNode rejected = events.result(jobId, WAIT);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(store.head(new S3Location(LocalStack.OUTPUT_BUCKET, "jobs/" + jobId + "/result.json"))).isEmpty();
    }

    @Test
    void theBoxOfEachPlacedDigitOverlapsIt() throws Exception {
        CanvasGenerator canvases = CanvasGenerator.standard(Digits.testSet());
        int n = 40;
        String jobId = "localize-" + UUID.randomUUID();
        List<CanvasGenerator.Canvas> truth = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CanvasGenerator.Canvas c = canvases.canvas(4242, i);
            truth.add(c);
            uris.add(upload(jobId + "/" + i + ".png", Png.encode(Png.grey(c.image(), c.side(), c.side()))));
        }
        JsonNode result = run(jobId, "localize", uris, null);

        int digits = 0;
        int overlapping = 0;
        int pointed = 0;
        for (int i = 0; i < n; i++) {
            JsonNode item = result.path("items").get(i);
            for (JsonNode d : item.path("detections")) {
                BufferedImage heat = image(d.path("heatmap").asText());
                assertThat(heat.getWidth()).isEqualTo(CanvasGenerator.SIDE);
                assertThat(image(d.path("overlay").asText()).getHeight()).isEqualTo(CanvasGenerator.SIDE);
            }
            for (CanvasGenerator.Placed p : truth.get(i).digits()) {
                digits++;
                JsonNode d = detection(item, Integer.toString(p.digit()));
                if (d == null || !d.has("box")) {
                    continue;
                }
                JsonNode b = d.path("box");
                Box box = new Box(b.path("x").asInt(), b.path("y").asInt(), b.path("x").asInt() + b.path("width").asInt(),
                        b.path("y").asInt() + b.path("height").asInt());
                overlapping += box.intersect(p.box()).area() > 0 ? 1 : 0;
                pointed += p.box().contains(d.path("peak").path("x").asInt(), d.path("peak").path("y").asInt()) ? 1 : 0;
            }
        }
        assertThat(overlapping / (double) digits).as("placed digits whose found box overlaps them").isGreaterThanOrEqualTo(0.9);
        assertThat(pointed / (double) digits).as("placed digits the map's peak falls in").isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void generatedDigitsAreTheAskedLabelsAndTheSameSeedGivesTheSameImages() throws Exception {
        String options = "{\"count\":10,\"seed\":42,\"labels\":[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}";
        JsonNode first = run("generate-" + UUID.randomUUID(), "generate", List.of(), options);
        JsonNode again = run("generate-" + UUID.randomUUID(), "generate", List.of(), options);

        assertThat(first.path("items")).hasSize(10);
        BufferedImage grid = image(first.path("artifacts").path("grid").asText());
        assertThat(grid.getWidth()).isEqualTo(4 * 28);
        List<String> copies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            JsonNode item = first.path("items").get(i);
            assertThat(item.path("seed").asLong()).isEqualTo(42 + i);
            assertThat(item.path("label").asText()).isEqualTo(Integer.toString(i));
            byte[] png = store.read(S3Location.parse(item.path("artifacts").path("image").asText()), 1 << 20);
            byte[] same = store.read(S3Location.parse(again.path("items").get(i).path("artifacts").path("image").asText()), 1 << 20);
            assertThat(same).as("sample %d from the same seed", i).isEqualTo(png);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(img.getWidth()).isEqualTo(28);
            copies.add(upload("generated/" + first.path("jobId").asText() + "/" + i + ".png", png));
        }
        // the project's classifier reads the generated digits as the labels they were asked for
        JsonNode read = run("read-generated-" + UUID.randomUUID(), "classify", copies, "{\"topK\":1}");
        int right = 0;
        for (int i = 0; i < 10; i++) {
            right += read.path("items").get(i).path("labels").path(0).path("label").asText().equals(Integer.toString(i)) ? 1 : 0;
        }
        assertThat(right).as("generated digits classified as their label").isGreaterThanOrEqualTo(9);

        JsonNode walk = run("walk-" + UUID.randomUUID(), "generate", List.of(),
                "{\"labels\":[\"3\"],\"walk\":{\"fromSeed\":1,\"toSeed\":2,\"steps\":5}}");
        assertThat(walk.path("items")).hasSize(5);
    }

    JsonNode run(String jobId, String task, List<String> uris, String options) {
        return run(jobId, task, null, uris, options);
    }

    /** A job of {@code task} on {@code uris}, served by {@code model} (null: the task's default). */
    JsonNode run(String jobId, String task, String model, List<String> uris, String options) {
        events.produce("image-jobs", jobId, job(jobId, task, model, uris, options));
        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        if (!task.equals("classify")) { // classify writes no per-item images
            assertReportShowsTheArtifacts(result);
            assertReportHasTheTaskSection(result, task);
        }
        if (result.path("itemsOmitted").asBoolean()) {
            try {
                return EventLog.JSON.readTree(store.read(S3Location.parse(result.path("resultUri").asText()), 100_000_000));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        return result;
    }

    /** The job event: {@code task} on {@code uris}, served by {@code model} (null: none named), with {@code options} (JSON, or null). */
    static String job(String jobId, String task, String model, List<String> uris, String options) {
        StringBuilder e = new StringBuilder("{\"jobId\":\"" + jobId + "\",\"task\":\"" + task + "\"");
        if (model != null) {
            e.append(",\"model\":\"").append(model).append('"');
        }
        if (!uris.isEmpty()) {
            e.append(",\"inputs\":[");
            for (int i = 0; i < uris.size(); i++) {
                e.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(uris.get(i)).append("\"}");
            }
            e.append(']');
        }
        if (options != null) {
            e.append(",\"options\":").append(options);
        }
        return e.append('}').toString();
    }

    /** The job's report.html links its per-item images (masks, overlays, heatmaps, samples), and they exist. */
    static void assertReportShowsTheArtifacts(JsonNode result) {
        try {
            Path report = TasksJobTest.localFile(result.path("artifacts").path("report").asText());
            String html = Files.readString(report);
            assertThat(html).contains(result.path("jobId").asText()).contains("src=\"items/");
            TasksJobTest.assertRelativeImagesExist(report, html);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each task's own part of the report: readable tables (and a colour legend), not raw JSON. */
    static void assertReportHasTheTaskSection(JsonNode result, String task) {
        try {
            String html = Files.readString(TasksJobTest.localFile(result.path("artifacts").path("report").asText()));
            switch (task) {
                case "segment" -> {
                    JsonNode compared = result.path("items").path(0).path("compared");
                    // comparing models: one share column per model, the job's first
                    String header = compared.isMissingNode() ? "<th>class</th><th>pixels</th>"
                            : "<th>class</th><th>" + result.path("model").path("name").asText() + ":"
                            + result.path("model").path("version").asText() + "</th><th>"
                            + String.join("</th><th>", (Iterable<String>) compared::fieldNames) + "</th>";
                    assertThat(html).contains(header).contains("class=\"swatch\"").doesNotContain("classFractions")
                            .doesNotContain("compared");
                }
                case "localize" -> assertThat(html).contains("<th>label</th><th>score</th>").doesNotContain("detections");
                case "generate" -> assertThat(html).contains("<th>class</th>");
                default -> throw new IllegalArgumentException(task);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode detection(JsonNode item, String label) {
        for (JsonNode d : item.path("detections")) {
            if (d.path("label").asText().equals(label)) {
                return d;
            }
        }
        return null;
    }

    static BufferedImage image(String uri) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(store.read(S3Location.parse(uri), 10_000_000)));
        assertThat(img).as("a PNG at " + uri).isNotNull();
        return img;
    }
}
