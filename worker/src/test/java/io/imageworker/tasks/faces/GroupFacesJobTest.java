package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A {@code faces} job on a near-square crowd of small faces, through the real broker, object store
 * and worker: the crowd is made here from the shipped group photos ({@link GroupFaceSet#crowd}, faces
 * about 40 px high in 1100x1000, labels moved along). Before the pyramid of tiles, the tiles of such a
 * photo were nearly the whole photo and most of its faces went unseen.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class GroupFacesJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void aCrowdIsCountedAndEachFaceHasItsDetectorBoxAndItsHeadBox() throws Exception {
        FaceEvalSet.Photo crowd = GroupFaceSet.crowd("crowd", GroupFaceSet.groups(), 1100, 1000, 40, 6);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(crowd.image(), "png", png);
        String jobId = "faces-crowd-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"faces\",\"options\":{\"attributes\":false},"
                + "\"inputs\":[{\"uri\":\"" + upload(jobId + "/crowd.png", png.toByteArray()) + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        JsonNode item = result.path("items").get(0);
        int labelled = crowd.faces().size();
        assertThat(labelled).isGreaterThan(30);
        assertThat(item.path("faceCount").asInt()).as("faces found of %d", labelled).isBetween((int) Math.ceil(0.85 * labelled), labelled + 1);
        List<FaceDetection> heads = new ArrayList<>();
        for (JsonNode f : item.path("faces")) {
            JsonNode b = f.path("box");
            JsonNode h = f.path("headBox");
            assertThat(h.path("height").asDouble()).as("%s", f).isGreaterThan(b.path("height").asDouble());
            // the head box is the detector's box moved and grown: they share most of the face
            assertThat(face(h, 1).iou(face(b, 1))).as("%s", f).isGreaterThan(0.5);
            heads.add(face(h, f.path("score").asDouble()));
        }
        GroupFaceSet.Matched m = GroupFaceSet.match(heads, crowd.faces(), 0.5);
        int hits = 0;
        for (boolean b : m.found()) {
            hits += b ? 1 : 0;
        }
        assertThat(hits).as("labelled faces matched by a head box at IoU 0.5").isGreaterThanOrEqualTo((int) Math.ceil(0.85 * labelled));
    }

    static FaceDetection face(JsonNode box, double score) {
        return new FaceDetection(box.path("x").asDouble(), box.path("y").asDouble(), box.path("width").asDouble(),
                box.path("height").asDouble(), FaceDetection.NO_KEYPOINTS, score);
    }
}
