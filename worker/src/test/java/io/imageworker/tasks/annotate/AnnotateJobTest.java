package io.imageworker.tasks.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.vision.v1.Feature;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Images;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.VisionClientBodies;
import io.imageworker.testing.WorkerTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code annotate} jobs (several Cloud Vision features per image) and Cloud Vision
 * {@code asyncBatchAnnotate} requests through the real broker, the real object store and the
 * worker, with the bundled text, faces and digit models.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class AnnotateJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(240);

    /** The five labelled faces of faceapi-sample5.jpg (datasets/faces/labels.json): x, y, width, height. */
    static final int[][] FACES = {{653, 113, 120, 154}, {920, 200, 120, 153}, {535, 375, 107, 157}, {1193, 360, 127, 180},
        {313, 760, 147, 207}};
    /** Where the receipt is pasted on the group photo, clear of every face: x, y, width, height (1.6 x its 420 x 260). */
    static final int[] RECEIPT = {900, 720, 672, 416};

    @Inject
    MeterRegistry registry;

    /**
     * The group photo of the faces set (1600 x 1165, 5 people) with the text set's receipt pasted on
     * the stairs at bottom right: a real photo with faces and text. Encoded as JPEG, as a camera would.
     */
    static byte[] photoWithReceipt() throws Exception {
        BufferedImage photo;
        try (InputStream in = AnnotateJobTest.class.getResourceAsStream("/datasets/faces/images/faceapi-sample5.jpg")) {
            photo = ImageIO.read(in);
        }
        BufferedImage receipt = ImageIO.read(new ByteArrayInputStream(Images.resource("/text/receipt.png")));
        BufferedImage out = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(photo, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(receipt, RECEIPT[0], RECEIPT[1], RECEIPT[2], RECEIPT[3], null);
        g.dispose();
        return Images.encode(out, "jpg");
    }

    private double fetches() {
        Timer t = registry.find("image_worker_fetch_duration").timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void eachImageIsFetchedOnceAndAnsweredPerFeatureUnderCloudVisionNames() throws Exception {
        String jobId = "annotate-" + UUID.randomUUID();
        String photo = upload(jobId + "/team-with-receipt.jpg", photoWithReceipt());
        int digit = 0;
        String seven = upload(jobId + "/digit.png", Digits.png(digit));
        String job = "{\"jobId\":\"" + jobId + "\",\"features\":[{\"type\":\"TEXT_DETECTION\"},"
                + "{\"type\":\"FACE_DETECTION\",\"maxResults\":10},{\"type\":\"IMAGE_PROPERTIES\"},"
                + "{\"type\":\"LABEL_DETECTION\",\"maxResults\":3},{\"type\":\"SAFE_SEARCH_DETECTION\"},"
                + "{\"type\":\"LANDMARK_DETECTION\"}],"
                + "\"inputs\":[{\"uri\":\"" + photo + "\"},{\"uri\":\"" + seven + "\"}]}";
        double before = fetches();
        events.produce("image-jobs", jobId, job);

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("task").asText()).isEqualTo("annotate");
        // one GET per image whatever the number of features (5 asked, 4 served)
        assertThat(fetches() - before).isEqualTo(2.0);

        JsonNode item = result.path("items").get(0);
        assertThat(item.path("width").asInt()).isEqualTo(1600);
        // TEXT_DETECTION: the whole text first, then the words, in the photo's pixels where the receipt was pasted
        JsonNode text = item.path("textAnnotations");
        assertThat(text.get(0).path("description").asText().replace(" ", "")).contains("Totaldue:1,234.56EUR");
        assertThat(item.path("fullTextAnnotation").path("text").asText()).isEqualTo(text.get(0).path("description").asText());
        assertThat(item.path("fullTextAnnotation").path("pages").get(0).path("width").asInt()).isEqualTo(1600);
        JsonNode total = null;
        for (int i = 1; i < text.size(); i++) {
            // the amount's word (the recognizer may join it to its neighbour: spaces are its weak point)
            if (text.get(i).path("description").asText().contains("1,234.56")) {
                total = text.get(i);
            }
        }
        assertThat(total).as("the total's word in %s", text).isNotNull();
        for (JsonNode v : total.path("boundingPoly").path("vertices")) {
            assertThat(v.path("x").asInt()).isBetween(RECEIPT[0], RECEIPT[0] + RECEIPT[2]);
            assertThat(v.path("y").asInt()).isBetween(RECEIPT[1] + RECEIPT[3] / 2, RECEIPT[1] + RECEIPT[3]);
        }
        // FACE_DETECTION: the five people, each labelled face's centre inside one face's box
        JsonNode faces = item.path("faceAnnotations");
        assertThat(faces).as(faces.toString()).hasSize(FACES.length);
        for (JsonNode f : faces) {
            assertThat(f.path("boundingPoly").path("vertices")).hasSize(4);
            // boundingPoly frames the head (hairline to chin), fdBoundingPoly is the detector's tighter box
            assertThat(f.path("fdBoundingPoly").path("vertices")).hasSize(4);
            assertThat(height(f.path("boundingPoly"))).as(f.toString()).isGreaterThan(height(f.path("fdBoundingPoly")));
            assertThat(f.path("landmarks")).hasSize(6);
            assertThat(f.path("detectionConfidence").asDouble()).isBetween(0.75, 1.0);
            for (String field : List.of("joyLikelihood", "sorrowLikelihood", "angerLikelihood", "surpriseLikelihood")) {
                assertThat(f.path(field).asText()).as("%s of %s", field, f).isIn("VERY_UNLIKELY", "UNLIKELY", "POSSIBLE",
                        "LIKELY", "VERY_LIKELY");
            }
        }
        // the group photo's people smile (face-api's expression model, the detector's companion)
        assertThat(faces.findValuesAsText("joyLikelihood")).as(faces.toString())
                .filteredOn(j -> List.of("POSSIBLE", "LIKELY", "VERY_LIKELY").contains(j)).hasSizeGreaterThanOrEqualTo(3);
        for (int[] truth : FACES) {
            double cx = truth[0] + truth[2] / 2.0;
            double cy = truth[1] + truth[3] / 2.0;
            boolean found = false;
            for (JsonNode f : faces) {
                JsonNode v = f.path("boundingPoly").path("vertices");
                found |= cx >= v.get(0).path("x").asInt() && cx <= v.get(2).path("x").asInt()
                        && cy >= v.get(0).path("y").asInt() && cy <= v.get(2).path("y").asInt();
            }
            assertThat(found).as("a face around (%.0f, %.0f) in %s", cx, cy, faces).isTrue();
        }
        // IMAGE_PROPERTIES: Cloud Vision's 10 colours by default
        JsonNode colors = item.path("imagePropertiesAnnotation").path("dominantColors").path("colors");
        assertThat(colors).hasSize(10);
        double share = 0;
        double previous = 1;
        for (JsonNode c : colors) {
            assertThat(c.path("color").path("red").asInt()).isBetween(0, 255);
            double fraction = c.path("pixelFraction").asDouble();
            assertThat(fraction).as("most frequent first").isGreaterThan(0).isLessThanOrEqualTo(previous);
            assertThat(c.path("score").asDouble()).isEqualTo(fraction);
            previous = fraction;
            share += fraction;
        }
        // a varied photo: the ten colours cover part of it (measured 0.42 here), never more than all of it
        assertThat(share).isBetween(0.1, 1.0001);
        // LABEL_DETECTION: the digit classifier abstains on a photo, so the labels are the COCO-80
        // classes task objects found: the group photo's people, never a digit
        JsonNode labels = item.path("labelAnnotations");
        assertThat(labels.get(0).path("description").asText()).as(item.toString()).isEqualTo("person");
        assertThat(Integer.parseInt(labels.get(0).path("properties").get(0).path("value").asText())).isGreaterThanOrEqualTo(3);
        assertThat(labels.findValuesAsText("description")).noneMatch(l -> l.matches("[0-9]"));
        // SAFE_SEARCH_DETECTION (task safe-search): a group photo of clothed people is not adult; the
        // categories its model does not rate are UNKNOWN, not guessed
        JsonNode safe = item.path("safeSearchAnnotation");
        assertThat(safe.path("adult").asText()).as(safe.toString()).isIn("VERY_UNLIKELY", "UNLIKELY");
        assertThat(safe.path("racy").asText()).isIn("VERY_UNLIKELY", "UNLIKELY", "POSSIBLE", "LIKELY", "VERY_LIKELY");
        assertThat(safe.path("violence").asText()).isEqualTo("UNKNOWN");
        // LANDMARK_DETECTION, which no task of this worker answers, fails alone, with Cloud Vision's UNIMPLEMENTED
        JsonNode landmark = item.path("featureErrors").path("LANDMARK_DETECTION");
        assertThat(landmark.path("code").asInt()).isEqualTo(12);
        assertThat(landmark.path("reason").asText()).isEqualTo("not-available");
        assertThat(landmark.path("message").asText()).contains("LANDMARK_DETECTION is not available");
        assertThat(item.path("featureErrors").size()).isEqualTo(1);
        // each feature's overlay in its own folder
        String textOverlay = item.path("artifacts").path("text-overlay").asText();
        String facesOverlay = item.path("artifacts").path("faces-overlay").asText();
        assertThat(textOverlay).endsWith("/" + jobId + "/text/items/00000/overlay.png");
        assertThat(facesOverlay).endsWith("/" + jobId + "/faces/items/00000/overlay.png");
        BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(store.read(S3Location.parse(facesOverlay), 50_000_000)));
        assertThat(overlay.getWidth()).isEqualTo(1600);

        // the digit: LABEL_DETECTION answers with its digit, no text or face
        JsonNode d = result.path("items").get(1);
        assertThat(d.path("status").asText()).isEqualTo("succeeded");
        assertThat(d.path("labelAnnotations")).hasSize(3);
        assertThat(d.path("labelAnnotations").get(0).path("description").asText()).isEqualTo(Integer.toString(Digits.label(digit)));
        assertThat(d.has("faceAnnotations")).isFalse();
        assertThat(d.path("safeSearchAnnotation").path("adult").asText()).isIn("VERY_UNLIKELY", "UNLIKELY");
        assertThat(d.path("featureErrors").path("LANDMARK_DETECTION").path("code").asInt()).isEqualTo(12);

        String report = new String(store.read(S3Location.parse(result.path("artifacts").path("report").asText()), 50_000_000),
                StandardCharsets.UTF_8);
        assertThat(report).contains("5 face(s)").contains("LANDMARK_DETECTION");
    }

    /**
     * A Cloud Vision asyncBatchAnnotate body, produced as-is with the job id as key: 3 images, batchSize 2,
     * so output-1-to-2.json and output-3-to-3.json under the destination, in request order.
     */
    @Test
    void anAsyncBatchAnnotateRequestWritesCloudVisionOutputFiles() throws Exception {
        String jobId = "vision-" + UUID.randomUUID();
        List<String> uris = List.of(upload(jobId + "/receipt.png", Images.resource("/text/receipt.png")),
                upload(jobId + "/sign.png", Images.resource("/text/sign.png")),
                upload(jobId + "/digit.png", Digits.png(1)));
        String destination = "s3://results/jobs/" + jobId + "-vision/";
        StringBuilder body = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < uris.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"image\":{\"source\":{\"imageUri\":\"").append(uris.get(i))
                    .append("\"}},\"features\":[{\"type\":\"TEXT_DETECTION\"}")
                    .append(i == 2 ? ",{\"type\":\"LABEL_DETECTION\",\"maxResults\":1}" : "").append("]}");
        }
        body.append("],\"outputConfig\":{\"gcsDestination\":{\"uri\":\"").append(destination)
                .append("\"},\"batchSize\":2},\"labels\":{\"team\":\"docs\"}}");
        assertThat(SCHEMAS.violations(EventSchemas.Contract.VISION_ASYNC_BATCH, EventLog.JSON.readTree(body.toString()))).isEmpty();
        events.produce("image-jobs", jobId, body.toString());

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("metadata").path("team").asText()).isEqualTo("docs");
        assertThat(result.path("artifacts").path("output-1-to-2").asText()).isEqualTo(destination + "output-1-to-2.json");
        assertThat(result.path("artifacts").path("output-3-to-3").asText()).isEqualTo(destination + "output-3-to-3.json");
        List<JsonNode> responses = new ArrayList<>();
        for (String file : List.of("output-1-to-2.json", "output-3-to-3.json")) {
            JsonNode out = EventLog.JSON.readTree(store.read(S3Location.parse(destination + file), 10_000_000));
            assertThat(out.fieldNames()).toIterable().containsExactly("responses");
            assertThat(out.path("responses")).hasSize(file.startsWith("output-1") ? 2 : 1);
            out.path("responses").forEach(responses::add);
        }
        // only Cloud Vision's files under the destination: the worker's own files stay under its output
        assertThat(store.list(S3Location.parse(destination), null, 100).objects()).hasSize(2);
        for (int i = 0; i < 3; i++) {
            assertThat(responses.get(i).path("context").path("uri").asText()).isEqualTo(uris.get(i));
            assertThat(responses.get(i).has("error")).isFalse();
        }
        assertThat(responses.get(0).path("textAnnotations").get(0).path("description").asText().replace(" ", ""))
                .contains("Totaldue:1,234.56EUR");
        assertThat(responses.get(0).path("fullTextAnnotation").path("text").asText()).contains("EUR");
        assertThat(responses.get(1).path("textAnnotations").size()).isGreaterThan(1);
        // the third request asked for labels as well: only it has them
        assertThat(responses.get(2).path("labelAnnotations")).hasSize(1);
        assertThat(responses.get(2).path("labelAnnotations").get(0).path("description").asText())
                .isEqualTo(Integer.toString(Digits.label(1)));
        assertThat(responses.get(0).has("labelAnnotations")).isFalse();
    }

    /**
     * Bodies as Google's client libraries print them (every field written, zeros for unset
     * maxResults and batchSize, enums by number, the proto's snake_case names) are served with
     * Cloud Vision's defaults, the same as the plain body.
     */
    @Test
    void bodiesPrintedByCloudVisionsClientLibrariesAreServedWithDefaults() throws Exception {
        List<String> jobs = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (VisionClientBodies.Spelling spelling : List.of(VisionClientBodies.Spelling.WITH_DEFAULTS,
                VisionClientBodies.Spelling.PROTO_NAMES)) {
            String jobId = "vision-p3-" + spelling.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID();
            String uri = upload(jobId + "/digit.png", Digits.png(2));
            String body = VisionClientBodies.asyncBatchAnnotate(spelling, List.of(uri),
                    List.of(Feature.Type.LABEL_DETECTION, Feature.Type.IMAGE_PROPERTIES), "s3://results/jobs/" + jobId + "/");
            assertThat(body).containsAnyOf("\"batchSize\": 0", "\"batch_size\": 0");
            events.produce("image-jobs", jobId, body);
            jobs.add(jobId);
            uris.add(uri);
        }
        for (int i = 0; i < jobs.size(); i++) {
            String jobId = jobs.get(i);
            JsonNode result = events.result(jobId, WAIT);
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
            JsonNode out = EventLog.JSON.readTree(store.read(S3Location.parse("s3://results/jobs/" + jobId + "/output-1-to-1.json"),
                    10_000_000));
            JsonNode response = out.path("responses").get(0);
            assertThat(response.path("context").path("uri").asText()).isEqualTo(uris.get(i));
            // unset maxResults: the digit model's labels, most likely first, and Cloud Vision's 10 colours
            assertThat(response.path("labelAnnotations").size()).isGreaterThan(1);
            assertThat(response.path("labelAnnotations").get(0).path("description").asText())
                    .isEqualTo(Integer.toString(Digits.label(2)));
            assertThat(response.path("imagePropertiesAnnotation").path("dominantColors").path("colors").size())
                    .isBetween(1, 10);
        }
    }

    /** A response of an image that failed carries its google.rpc.Status; the others stand. */
    @Test
    void aMissingImageFailsAloneWithItsStatusInTheOutputFile() throws Exception {
        String jobId = "vision-missing-" + UUID.randomUUID();
        String present = upload(jobId + "/sign.png", Images.resource("/text/sign.png"));
        String missing = "s3://images/" + jobId + "/nowhere.png";
        String destination = "s3://results/jobs/" + jobId + "-vision/";
        String body = "{\"requests\":[{\"image\":{\"source\":{\"imageUri\":\"" + missing + "\"}},\"features\":[{\"type\":"
                + "\"IMAGE_PROPERTIES\",\"maxResults\":3}]},{\"image\":{\"source\":{\"imageUri\":\"" + present
                + "\"}},\"features\":[{\"type\":\"IMAGE_PROPERTIES\",\"maxResults\":3}]}],"
                + "\"outputConfig\":{\"gcsDestination\":{\"uri\":\"" + destination + "\"}}}";
        events.produce("image-jobs", jobId, body);

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("partial");
        // default batchSize 20: one file
        JsonNode out = EventLog.JSON.readTree(store.read(S3Location.parse(destination + "output-1-to-2.json"), 10_000_000));
        JsonNode failed = out.path("responses").get(0);
        assertThat(failed.path("error").path("code").asInt()).isEqualTo(5);
        assertThat(failed.path("error").path("message").asText()).contains("nowhere.png");
        assertThat(failed.path("context").path("uri").asText()).isEqualTo(missing);
        assertThat(out.path("responses").get(1).path("imagePropertiesAnnotation").path("dominantColors").path("colors"))
                .hasSize(3);
    }

    @Test
    void anUnknownFeatureTypeIsDeadLettered() {
        String jobId = "annotate-bad-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"features\":[{\"type\":\"FACE_RECOGNITION\"}],"
                + "\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}");
        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> jobId.equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("invalid-job");
        assertThat(envelope.path("dlq-reason").asText()).contains("/features/0/type");
        JsonNode rejected = events.result(jobId, WAIT);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void anAsyncBatchAnnotateRequestWithoutAUsableKeyIsDeadLettered() {
        String key = "not a job id " + UUID.randomUUID();
        events.produce("image-jobs", key, "{\"requests\":[{\"image\":{\"source\":{\"imageUri\":\"s3://images/a.png\"}},"
                + "\"features\":[{\"type\":\"TEXT_DETECTION\"}]}],\"outputConfig\":{\"gcsDestination\":{\"uri\":\"s3://results/jobs/x/\"}}}");
        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> key.equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("invalid-job");
        assertThat(envelope.path("dlq-reason").asText()).contains("record key");
    }

    /** The height of a Cloud Vision boundingPoly: bottom vertex y less top vertex y. */
    static double height(JsonNode poly) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (JsonNode v : poly.path("vertices")) {
            lo = Math.min(lo, v.path("y").asDouble());
            hi = Math.max(hi, v.path("y").asDouble());
        }
        return hi - lo;
    }
}
