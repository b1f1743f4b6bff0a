package io.imageworker.tasks.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.imaging.Orientation;
import io.imageworker.imaging.TestImages;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Repo;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code objects} jobs through the real broker, object store and worker with the shipped
 * {@code nanodet-m-coco}: real photos (the astronaut is a person, Chelsea a cat, where they are),
 * the same cat stored turned with EXIF orientation 6 and stored four times as large (decoded
 * subsampled), an MNIST digit (no COCO object), {@code classes} keeping only what it names, an
 * unknown class dead-lettered, OBJECT_LOCALIZATION and LABEL_DETECTION in annotate jobs, and photo labels
 * in a classify job.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class ObjectsJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(180);
    static final String IMAGES = "datasets/src/main/resources/datasets/faces/images/";

    static byte[] photo(String name) throws Exception {
        return Files.readAllBytes(Repo.path(IMAGES + name));
    }

    static BufferedImage rgb(String name) throws Exception {
        BufferedImage src = ImageIO.read(Repo.path(IMAGES + name).toFile());
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(src, 0, 0, null);
        return rgb;
    }

    static BufferedImage enlarged(BufferedImage img, int factor) {
        BufferedImage out = new BufferedImage(img.getWidth() * factor, img.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    static JsonNode best(JsonNode item) {
        return item.path("objects").get(0);
    }

    static double iou(JsonNode a, JsonNode b, double scaleB) {
        double ax2 = a.path("x").asDouble() + a.path("width").asDouble();
        double ay2 = a.path("y").asDouble() + a.path("height").asDouble();
        double bx = b.path("x").asDouble() * scaleB;
        double by = b.path("y").asDouble() * scaleB;
        double bx2 = bx + b.path("width").asDouble() * scaleB;
        double by2 = by + b.path("height").asDouble() * scaleB;
        double w = Math.min(ax2, bx2) - Math.max(a.path("x").asDouble(), bx);
        double h = Math.min(ay2, by2) - Math.max(a.path("y").asDouble(), by);
        double inter = w <= 0 || h <= 0 ? 0 : w * h;
        double union = a.path("width").asDouble() * a.path("height").asDouble()
                + b.path("width").asDouble() * b.path("height").asDouble() * scaleB * scaleB - inter;
        return inter / union;
    }

    @Test
    void photosGetTheirObjectsWhereTheyAreAndADigitGetsNone() throws Exception {
        String jobId = "objects-" + UUID.randomUUID();
        BufferedImage chelsea = rgb("skimage-chelsea.png"); // 451 x 300
        // stored turned a quarter to the left, with the orientation that turns it back: a viewer shows 451 x 300
        byte[] turned = TestImages.jpegWithOrientation(TestImages.encodeJpeg(Orientation.apply(chelsea, 8)), 6);
        byte[] large = TestImages.encodeJpeg(enlarged(chelsea, 4)); // 1804 x 1200: decoded at half (832 px kept)
        String[] uris = {
            upload(jobId + "/astronaut.png", photo("skimage-astronaut.png")),
            upload(jobId + "/chelsea.png", photo("skimage-chelsea.png")),
            upload(jobId + "/chelsea-turned.jpg", turned),
            upload(jobId + "/chelsea-large.jpg", large),
            upload(jobId + "/seven.png", Digits.png(7))
        };
        StringBuilder inputs = new StringBuilder();
        for (String u : uris) {
            inputs.append(inputs.length() == 0 ? "" : ",").append("{\"uri\":\"").append(u).append("\"}");
        }
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"objects\",\"inputs\":[" + inputs + "]}");

        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("model").toString()).contains("nanodet-m-coco");
        JsonNode items = result.path("items");
        System.out.println("objects job: " + items);

        JsonNode astronaut = items.get(0);
        JsonNode person = best(astronaut);
        assertThat(person.path("name").asText()).isEqualTo("person");
        assertThat(person.path("score").asDouble()).isGreaterThan(0.5);
        JsonNode pb = person.path("box");
        // she fills most of the 512 x 512 picture, from the top down to its bottom edge
        assertThat(pb.path("width").asDouble() * pb.path("height").asDouble()).isGreaterThan(0.3 * 512 * 512);
        assertThat(pb.path("x").asDouble() + pb.path("width").asDouble() / 2).isBetween(128.0, 384.0);
        assertThat(pb.path("y").asDouble() + pb.path("height").asDouble()).isCloseTo(512, within(40.0));
        assertThat(astronaut.path("objectCount").asInt()).isEqualTo(astronaut.path("objects").size());
        assertThat(astronaut.path("artifacts").path("overlay").asText()).startsWith("s3://");

        JsonNode cat = best(items.get(1));
        assertThat(cat.path("name").asText()).isEqualTo("cat");
        JsonNode cb = cat.path("box");
        assertThat(cb.path("width").asDouble() * cb.path("height").asDouble()).isGreaterThan(0.25 * 451 * 300);

        JsonNode turnedItem = items.get(2);
        assertThat(turnedItem.path("width").asInt()).isEqualTo(451);
        assertThat(turnedItem.path("height").asInt()).isEqualTo(300);
        assertThat(best(turnedItem).path("name").asText()).isEqualTo("cat");
        assertThat(iou(best(turnedItem).path("box"), cb, 1)).as("the turned photo's cat against the upright one's").isGreaterThan(0.9);

        JsonNode largeItem = items.get(3);
        assertThat(largeItem.path("width").asInt()).isEqualTo(1804);
        assertThat(best(largeItem).path("name").asText()).isEqualTo("cat");
        assertThat(iou(best(largeItem).path("box"), cb, 4)).as("in the large photo's pixels: four times the upright one's box")
                .isGreaterThan(0.9);

        JsonNode digit = items.get(4);
        assertThat(digit.path("status").asText()).isEqualTo("succeeded");
        for (JsonNode o : digit.path("objects")) {
            assertThat(o.path("score").asDouble()).as("a digit holds no COCO object: %s", o).isLessThan(0.5);
        }
    }

    @Test
    void classesKeepsOnlyWhatItNames() throws Exception {
        String jobId = "objects-classes-" + UUID.randomUUID();
        String a = upload(jobId + "/astronaut.png", photo("skimage-astronaut.png"));
        String c = upload(jobId + "/chelsea.png", photo("skimage-chelsea.png"));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"objects\",\"options\":{\"classes\":[\"cat\"]},"
                + "\"inputs\":[{\"uri\":\"" + a + "\"},{\"uri\":\"" + c + "\"}]}");
        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("items").get(0).path("objectCount").asInt()).as("no cat on the astronaut").isZero();
        JsonNode cats = result.path("items").get(1).path("objects");
        assertThat(cats).isNotEmpty();
        cats.forEach(o -> assertThat(o.path("name").asText()).isEqualTo("cat"));
    }

    @Test
    void anUnknownClassMakesTheJobInvalid() {
        String jobId = "objects-unicorn-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"objects\",\"options\":{\"classes\":[\"unicorn\"]},"
                + "\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}");
        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> jobId.equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("invalid-job");
        assertThat(envelope.path("dlq-reason").asText()).contains("classes");
        assertThat(events.result(jobId, WAIT).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void annotateAnswersObjectLocalization() throws Exception {
        String jobId = "objects-annotate-" + UUID.randomUUID();
        String uri = upload(jobId + "/astronaut.png", photo("skimage-astronaut.png"));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"features\":[{\"type\":\"OBJECT_LOCALIZATION\","
                + "\"maxResults\":5}],\"inputs\":[{\"uri\":\"" + uri + "\"}]}");
        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode annotations = result.path("items").get(0).path("localizedObjectAnnotations");
        System.out.println("annotate OBJECT_LOCALIZATION: " + annotations);
        assertThat(annotations.size()).isBetween(1, 5);
        JsonNode first = annotations.get(0);
        assertThat(first.path("name").asText()).isEqualTo("person");
        JsonNode v = first.path("boundingPoly").path("normalizedVertices");
        assertThat(v).hasSize(4);
        for (JsonNode p : v) {
            assertThat(p.path("x").asDouble()).isBetween(0.0, 1.0);
            assertThat(p.path("y").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(v.get(2).path("x").asDouble() - v.get(0).path("x").asDouble()).isGreaterThan(0.3);
    }

    /**
     * LABEL_DETECTION in an annotate job: the digit model abstains on the photos, so they get the
     * COCO-80 classes found (the astronaut a person, Chelsea a cat) with their instance counts; the
     * digit keeps its digit and gets no COCO label; maxResults cuts the labels.
     */
    @Test
    void labelDetectionAnswersPhotosWithTheirClassesAndADigitWithItsDigit() throws Exception {
        String jobId = "photo-labels-" + UUID.randomUUID();
        String astronaut = upload(jobId + "/astronaut.png", photo("skimage-astronaut.png"));
        String chelsea = upload(jobId + "/chelsea.png", photo("skimage-chelsea.png"));
        String seven = upload(jobId + "/seven.png", Digits.png(7));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"features\":[{\"type\":\"LABEL_DETECTION\","
                + "\"maxResults\":3}],\"inputs\":[{\"uri\":\"" + astronaut + "\"},{\"uri\":\"" + chelsea + "\"},"
                + "{\"uri\":\"" + seven + "\"}]}");
        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode items = result.path("items");
        System.out.println("annotate LABEL_DETECTION: " + items);

        for (int i = 0; i < 2; i++) {
            JsonNode labels = items.get(i).path("labelAnnotations");
            assertThat(labels.size()).as(items.get(i).toString()).isBetween(1, 3);
            assertThat(labels.get(0).path("description").asText()).isEqualTo(i == 0 ? "person" : "cat");
            for (JsonNode l : labels) {
                assertThat(CocoLabels.NAMES).contains(l.path("description").asText());
                assertThat(l.path("score").asDouble()).isBetween(ObjectOptions.DEFAULT_MIN_SCORE, 1.0);
                assertThat(l.path("topicality").asDouble()).isEqualTo(l.path("score").asDouble());
                assertThat(Integer.parseInt(l.path("properties").get(0).path("value").asText())).isPositive();
            }
            // a photo is never called a digit
            assertThat(labels.findValuesAsText("description")).noneMatch(d -> d.matches("[0-9]"));
            assertThat(items.get(i).path("artifacts").path("objects-overlay").asText()).endsWith("/objects/items/0000" + i
                    + "/overlay.png");
        }
        JsonNode digit = items.get(2).path("labelAnnotations");
        assertThat(digit.get(0).path("description").asText()).as(digit.toString()).isEqualTo(Integer.toString(Digits.label(7)));
        assertThat(digit.findValuesAsText("description")).allMatch(d -> d.matches("[0-9]"));
        assertThat(items.get(2).path("artifacts").has("objects-overlay")).isFalse();
    }

    /**
     * A classify job that pins no model: the digit keeps its digit (no label set, no objects run on
     * it); the photos, which the digit model abstains on, get the COCO-80 classes found as their
     * labels, marked {@code labelSet: "coco-80"}, at most {@code topK}, with instance counts (and no
     * overlay: classify writes only result.json), and keep their abstention. A job that pins the digit model gets its abstention only.
     */
    @Test
    void classifyAnswersPhotosWithCocoLabelsAndADigitWithItsDigit() throws Exception {
        String jobId = "classify-photos-" + UUID.randomUUID();
        String seven = upload(jobId + "/seven.png", Digits.png(7));
        String astronaut = upload(jobId + "/astronaut.png", photo("skimage-astronaut.png"));
        String chelsea = upload(jobId + "/chelsea.png", photo("skimage-chelsea.png"));
        String inputs = "[{\"uri\":\"" + seven + "\"},{\"uri\":\"" + astronaut + "\"},{\"uri\":\"" + chelsea + "\"}]";
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"options\":{\"topK\":2},"
                + "\"inputs\":" + inputs + "}");
        String pinned = jobId + "-pinned";
        events.produce("image-jobs", pinned, "{\"jobId\":\"" + pinned + "\",\"task\":\"classify\",\"model\":\"mnist-cnn-bn\","
                + "\"inputs\":[{\"uri\":\"" + chelsea + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode items = result.path("items");
        System.out.println("classify with photo labels: " + items);

        JsonNode digit = items.get(0);
        assertThat(digit.path("labels").get(0).path("label").asText()).as(digit.toString())
                .isEqualTo(Integer.toString(Digits.label(7)));
        assertThat(digit.has("labelSet")).isFalse();
        assertThat(digit.has("outOfDistribution")).isFalse();
        assertThat(digit.has("artifacts")).as("objects does not run on a digit").isFalse();
        assertThat(digit.path("labels").get(0).has("instances")).isFalse();

        for (int i = 1; i <= 2; i++) {
            JsonNode item = items.get(i);
            assertThat(item.path("status").asText()).as(item.toString()).isEqualTo("succeeded");
            assertThat(item.path("labelSet").asText()).as(item.toString()).isEqualTo(CocoLabels.SET);
            assertThat(item.path("outOfDistribution").path("score").asDouble()).as("the digit model still abstained")
                    .isGreaterThan(1.0);
            JsonNode labels = item.path("labels");
            assertThat(labels.size()).isBetween(1, 2);
            assertThat(labels.get(0).path("label").asText()).isEqualTo(i == 1 ? "person" : "cat");
            for (JsonNode l : labels) {
                assertThat(CocoLabels.NAMES).contains(l.path("label").asText());
                assertThat(l.path("score").asDouble()).isBetween(ObjectOptions.DEFAULT_MIN_SCORE, 1.0);
                assertThat(l.path("instances").asInt()).isPositive();
            }
            assertThat(labels.findValuesAsText("label")).as("a photo is never called a digit").noneMatch(d -> d.matches("[0-9]"));
            assertThat(item.has("artifacts")).as("classify writes no files: objects ran without its overlay").isFalse();
        }
        JsonNode own = events.result(pinned, WAIT).path("items").get(0);
        assertThat(own.has("labels")).as("a job pinning the digit model gets its abstention only: %s", own).isFalse();
        assertThat(own.has("labelSet")).isFalse();
        assertThat(own.has("outOfDistribution")).isTrue();
    }
}
