package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A {@code faces} job through the real broker, object store and worker, on real photos of the
 * faces evaluation set: a group photo (5 labelled faces), a portrait and a photo with no face; an
 * EXIF-turned and a CMYK photo; MNIST digits (no face, unless the job asks to enlarge them); and the options.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class FacesJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final List<String> PHOTOS = List.of("faceapi-sample5.jpg", "skimage-astronaut.png", "scipy-raccoon.jpg");

    static byte[] photo(String file) throws Exception {
        try (InputStream in = FacesJobTest.class.getResourceAsStream("/datasets/faces/images/" + file)) {
            return in.readAllBytes();
        }
    }

    @Test
    void facesAreBoxedOnRealPhotosAndTheReportShowsThem() throws Exception {
        String jobId = "faces-" + UUID.randomUUID();
        StringBuilder job = new StringBuilder("{\"jobId\":\"" + jobId + "\",\"task\":\"faces\",\"inputs\":[");
        for (int i = 0; i < PHOTOS.size(); i++) {
            job.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(upload(jobId + "/" + PHOTOS.get(i), photo(PHOTOS.get(i))))
                    .append("\"}");
        }
        events.produce("image-jobs", jobId, job.append("]}").toString());

        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("model").path("name").asText()).isEqualTo("blazeface-back-256");
        var labelled = FaceEvalSet.load().stream().collect(java.util.stream.Collectors.toMap(FaceEvalSet.Photo::file, p -> p));
        for (int i = 0; i < PHOTOS.size(); i++) {
            JsonNode item = result.path("items").get(i);
            FaceEvalSet.Photo truth = labelled.get(PHOTOS.get(i));
            assertThat(item.path("faceCount").asInt()).as("%s: %s", PHOTOS.get(i), item).isEqualTo(truth.faces().size());
            assertThat(item.path("faces")).hasSize(truth.faces().size());
            List<FaceDetection> found = new java.util.ArrayList<>();
            for (JsonNode f : item.path("faces")) {
                JsonNode b = f.path("box");
                assertThat(f.path("keypoints")).hasSize(6);
                assertThat(f.path("keypoints").get(2).path("type").asText()).isEqualTo("NOSE_TIP");
                assertThat(f.path("score").asDouble()).isBetween(0.75, 1.0);
                found.add(new FaceDetection(b.path("x").asDouble(), b.path("y").asDouble(), b.path("width").asDouble(),
                        b.path("height").asDouble(), new double[12], f.path("score").asDouble()));
            }
            assertThat(FaceEvalSet.match(found, truth.faces())).as(PHOTOS.get(i)).allMatch(s -> s.kind() == FaceEvalSet.Scored.TP);
            assertThat(item.path("width").asInt()).isEqualTo(truth.image().getWidth());
            BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(
                    store.read(S3Location.parse(item.path("artifacts").path("overlay").asText()), 50_000_000)));
            assertThat(overlay).as("overlay of " + PHOTOS.get(i)).isNotNull();
            assertThat(overlay.getWidth()).isEqualTo(truth.image().getWidth());
        }
        String report = new String(store.read(S3Location.parse(result.path("artifacts").path("report").asText()), 50_000_000),
                StandardCharsets.UTF_8);
        assertThat(report).contains("5 face(s)").contains("0 face(s)").contains("<th>keypoints x, y</th>")
                .contains("src=\"items/00000/overlay.png\"");
    }

    /**
     * Phone photos stored on their side with an EXIF orientation, and print-workflow CMYK JPEGs: the
     * faces are found where a viewer sees them, in the viewer's frame (the labels' frame).
     */
    @Test
    void turnedAndCmykPhotosAreSeenAsAViewerSeesThem() throws Exception {
        var labelled = FaceEvalSet.load().stream().collect(java.util.stream.Collectors.toMap(FaceEvalSet.Photo::file, p -> p));
        FaceEvalSet.Photo turnedSource = labelled.get("faceapi-sample1.jpg");
        FaceEvalSet.Photo cmykSource = labelled.get("faceapi-sample3.jpg");
        // stored turned a quarter anticlockwise (orientation 8's image), tagged 6: the viewer turns it back upright
        BufferedImage stored = io.imageworker.imaging.Orientation.apply(
                io.imageworker.imaging.Preprocessor.flatten(turnedSource.image()), 8);
        byte[] turned = io.imageworker.imaging.TestImages.jpegWithOrientation(io.imageworker.imaging.TestImages.encodeJpeg(stored), 6);
        BufferedImage grey = new BufferedImage(cmykSource.image().getWidth(), cmykSource.image().getHeight(),
                BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(cmykSource.image(), 0, 0, null);
        byte[] cmyk = io.imageworker.imaging.TestImages.cmykJpeg(grey, io.imageworker.imaging.TestImages.Cmyk.ADOBE_INVERTED);
        String jobId = "faces-field-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"faces\",\"inputs\":[{\"uri\":\""
                + upload(jobId + "/turned.jpg", turned) + "\"},{\"uri\":\"" + upload(jobId + "/cmyk.jpg", cmyk) + "\"}]}");
        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        List<FaceEvalSet.Photo> truths = List.of(turnedSource, cmykSource);
        for (int i = 0; i < 2; i++) {
            JsonNode item = result.path("items").get(i);
            FaceEvalSet.Photo truth = truths.get(i);
            assertThat(item.path("width").asInt()).isEqualTo(truth.image().getWidth());
            assertThat(item.path("height").asInt()).isEqualTo(truth.image().getHeight());
            List<FaceDetection> found = new java.util.ArrayList<>();
            for (JsonNode f : item.path("faces")) {
                JsonNode b = f.path("box");
                found.add(new FaceDetection(b.path("x").asDouble(), b.path("y").asDouble(), b.path("width").asDouble(),
                        b.path("height").asDouble(), new double[12], f.path("score").asDouble()));
            }
            assertThat(FaceEvalSet.match(found, truth.faces())).as("%s: %s", truth.file(), item)
                    .hasSize(truth.faces().size()).allMatch(s -> s.kind() == FaceEvalSet.Scored.TP);
        }
    }

    /**
     * Two MNIST zeros (test digits 3 and 10) on which BlazeFace found a face scored 0.86 and 0.85 when
     * they were enlarged to fill its input: by default a small image is not enlarged and they get
     * none; a job asking for {@code maxUpscale} 64 (fit the input, as before) gets the false faces back.
     */
    @Test
    void digitsGetNoFaceUnlessTheJobAsksToEnlargeThem() throws Exception {
        String jobId = "faces-digits-" + UUID.randomUUID();
        String inputs = "[{\"uri\":\"" + upload(jobId + "/zero-3.png", io.imageworker.testing.Digits.png(3)) + "\"},{\"uri\":\""
                + upload(jobId + "/zero-10.png", io.imageworker.testing.Digits.png(10)) + "\"}]";
        assertThat(io.imageworker.testing.Digits.label(3)).isZero();
        assertThat(io.imageworker.testing.Digits.label(10)).isZero();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"faces\",\"inputs\":" + inputs + "}");
        String enlarged = jobId + "-enlarged";
        events.produce("image-jobs", enlarged, "{\"jobId\":\"" + enlarged + "\",\"task\":\"faces\",\"inputs\":" + inputs
                + ",\"options\":{\"maxUpscale\":64}}");

        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        for (JsonNode item : result.path("items")) {
            assertThat(item.path("status").asText()).isEqualTo("succeeded");
            assertThat(item.path("width").asInt()).isEqualTo(28);
            assertThat(item.path("faceCount").asInt()).as(item.toString()).isZero();
            assertThat(item.path("faces")).isEmpty();
        }
        JsonNode before = events.result(enlarged, WAIT);
        assertThat(before.path("status").asText()).as(before.toString()).isEqualTo("succeeded");
        int faces = 0;
        for (JsonNode item : before.path("items")) {
            faces += item.path("faceCount").asInt();
        }
        assertThat(faces).as(before.toString()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void optionsShapeTheAnswer() throws Exception {
        String jobId = "faces-opt-" + UUID.randomUUID();
        String uri = upload(jobId + "/group.jpg", photo("faceapi-sample5.jpg"));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"faces\",\"inputs\":[{\"uri\":\"" + uri
                + "\"}],\"options\":{\"maxResults\":2,\"minScore\":0.5}}");
        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        JsonNode faces = result.path("items").get(0).path("faces");
        assertThat(faces).hasSize(2);
        assertThat(faces.get(0).path("score").asDouble()).isGreaterThanOrEqualTo(faces.get(1).path("score").asDouble());
    }
}
