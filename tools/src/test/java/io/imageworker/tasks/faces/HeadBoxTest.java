package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detector box to head box mapping: applied, fitted, read from the card, and given in the item and Cloud Vision's answer. */
class HeadBoxTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static FaceDetection box(double x, double y, double w, double h) {
        return new FaceDetection(x, y, w, h, new double[12], 0.9);
    }

    @Test
    void theMappingMovesTheCentreBySharesOfTheBoxAndScalesItsSides() {
        HeadBox m = new HeadBox(0.1, -0.2, 1.5, 2);
        FaceDetection h = m.apply(box(100, 100, 40, 50), 1000, 1000);
        // centre (120, 125) -> (124, 115); sides 60 x 100
        assertThat(h.x()).isCloseTo(94, within(1e-9));
        assertThat(h.y()).isCloseTo(65, within(1e-9));
        assertThat(h.width()).isCloseTo(60, within(1e-9));
        assertThat(h.height()).isCloseTo(100, within(1e-9));
        assertThat(h.score()).isEqualTo(0.9);
        // clipped to the photo
        FaceDetection edge = m.apply(box(0, 0, 40, 50), 50, 1000);
        assertThat(edge.x()).isZero();
        assertThat(edge.y()).isZero();
        assertThat(edge.x1()).isEqualTo(50);
        assertThat(HeadBox.IDENTITY.apply(box(3, 4, 5, 6), 100, 100)).usingRecursiveComparison().isEqualTo(box(3, 4, 5, 6));
        assertThatThrownBy(() -> new HeadBox(0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeadBox(Double.NaN, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFitRecoversAKnownMappingDespiteAFewPoorPairs() {
        HeadBox truth = new HeadBox(0.02, -0.12, 1.1, 1.3);
        List<FaceDetection> detected = new ArrayList<>();
        List<FaceDetection> labelled = new ArrayList<>();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 21; i++) {
            FaceDetection d = box(r.nextInt(500), r.nextInt(500), 20 + r.nextInt(100), 20 + r.nextInt(100));
            detected.add(d);
            labelled.add(i % 7 == 0 ? box(d.x(), d.y(), d.width() * 3, d.height() * 0.5) // a poor pair: the median ignores it
                    : truth.apply(d, 10_000, 10_000));
        }
        HeadBox fit = HeadBox.fit(detected, labelled);
        assertThat(fit.dx()).isCloseTo(0.02, within(1e-9));
        assertThat(fit.dy()).isCloseTo(-0.12, within(1e-9));
        assertThat(fit.sx()).isCloseTo(1.1, within(1e-9));
        assertThat(fit.sy()).isCloseTo(1.3, within(1e-9));
        assertThatThrownBy(() -> HeadBox.fit(detected, labelled.subList(0, 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultDetectorsCardHoldsAMappingThatFramesALargerBox() throws Exception {
        HeadBox m = HeadBox.of(FaceModels.readCard("blazeface-back-256"));
        assertThat(m).isNotEqualTo(HeadBox.IDENTITY);
        assertThat(m.sy()).isGreaterThan(1);
        // a card without the options maps a box to itself
        assertThat(HeadBox.of(FaceModels.readCard("blazeface-front-128"))).isEqualTo(HeadBox.IDENTITY);
    }

    @Test
    void theItemHasBothBoxesAndCloudVisionGetsTheHeadAsBoundingPolyAndTheDetectorsBoxAsFdBoundingPoly() throws Exception {
        FaceDetection f = box(10, 20, 40, 40);
        FaceDetection head = new HeadBox(0, -0.1, 1.1, 1.3).apply(f, 640, 480);
        Map<String, Object> face = FacesTask.json(f, head, null, 1);
        JsonNode n = JSON.valueToTree(face);
        assertThat(n.path("box").path("height").asDouble()).isEqualTo(40);
        assertThat(n.path("headBox").path("height").asDouble()).isEqualTo(52);
        assertThat(n.path("headBox").path("y").asDouble()).isEqualTo(10);
        JsonNode item = JSON.valueToTree(Map.of("faces", List.of(face)));
        JsonNode vision = new FacesTask().visionAnnotation(item).path("faceAnnotations").get(0);
        assertThat(vision.path("boundingPoly").path("vertices").get(0).path("y").asDouble()).isEqualTo(10);
        assertThat(vision.path("boundingPoly").path("vertices").get(2).path("y").asDouble()).isEqualTo(62);
        assertThat(vision.path("fdBoundingPoly").path("vertices").get(0).path("y").asDouble()).isEqualTo(20);
        assertThat(vision.path("fdBoundingPoly").path("vertices").get(2).path("y").asDouble()).isEqualTo(60);
        // an item written before head boxes existed: both polygons are the detector's box
        JsonNode old = JSON.readTree("{\"faces\": [{\"box\": {\"x\": 1, \"y\": 2, \"width\": 3, \"height\": 4}, \"score\": 0.8}]}");
        JsonNode oldVision = new FacesTask().visionAnnotation(old).path("faceAnnotations").get(0);
        assertThat(oldVision.path("boundingPoly")).isEqualTo(oldVision.path("fdBoundingPoly"));
    }
}
