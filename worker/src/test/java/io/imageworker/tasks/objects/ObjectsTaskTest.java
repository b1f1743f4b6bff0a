package io.imageworker.tasks.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.tasks.faces.Letterbox;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of {@code objects}: boxes from the letterbox to input pixels, the options, the Cloud Vision shape. */
class ObjectsTaskTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int SIZE = 416;

    static NanodetDecoder.Detection det(int cls, float x1, float y1, float x2, float y2) {
        return new NanodetDecoder.Detection(cls, 0.8f, x1, y1, x2, y2);
    }

    @Test
    void aBoxOnAPortraitImageMapsBackThroughThePaddingAndTheSubsampling() {
        // a 4:3 landscape photo stored turned with EXIF orientation 6: the task gets it upright, 300 x 600
        // decoded at half its 600 x 1200 pixels; in the 416 px input it is 208 x 416 with 104 px of padding either side
        Letterbox view = Letterbox.whole(300, 600, SIZE, 1);
        assertThat(view.padX()).isEqualTo(104);
        List<FoundObject> found = FoundObject.inInput(List.of(det(0, 104, 0, 312, 416), det(15, 156, 104, 260, 208)), view, 300,
                600, 2);
        assertThat(found).hasSize(2);
        FoundObject whole = found.get(0);
        assertThat(whole.name()).isEqualTo("person");
        assertThat(whole.x()).isCloseTo(0, within(1e-6));
        assertThat(whole.y()).isCloseTo(0, within(1e-6));
        assertThat(whole.width()).isCloseTo(600, within(1e-3));
        assertThat(whole.height()).isCloseTo(1200, within(1e-3));
        FoundObject cat = found.get(1);
        assertThat(cat.name()).isEqualTo("cat");
        // model x 156..260 is decoded x 75..225 (scale 208/300), input x 150..450; y 104..208 is 150..300, input 300..600
        assertThat(cat.x()).isCloseTo(150, within(1e-3));
        assertThat(cat.width()).isCloseTo(300, within(1e-3));
        assertThat(cat.y()).isCloseTo(300, within(1e-3));
        assertThat(cat.height()).isCloseTo(300, within(1e-3));
    }

    @Test
    void aBoxReachingIntoThePaddingIsClippedAndOneWhollyInItIsLeftOut() {
        Letterbox view = Letterbox.whole(300, 600, SIZE, 1);
        List<FoundObject> found = FoundObject.inInput(List.of(det(2, 50, 10, 200, 100), det(3, 0, 0, 100, 50)), view, 300, 600, 1);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).x()).isEqualTo(0);
        assertThat(found.get(0).x() + found.get(0).width()).isCloseTo((200 - 104) * 300 / 208.0, within(1e-3));
    }

    @Test
    void aSmallPictureIsNotEnlargedAndItsBoxesAreInItsOwnPixels() {
        Letterbox view = Letterbox.whole(28, 28, SIZE, ObjectsTask.MAX_UPSCALE);
        assertThat(view.drawnWidth()).isEqualTo(28);
        List<FoundObject> found = FoundObject.inInput(List.of(det(0, 194, 194, 222, 222)), view, 28, 28, 1);
        assertThat(found.get(0).x()).isCloseTo(0, within(1e-6));
        assertThat(found.get(0).width()).isCloseTo(28, within(1e-6));
    }

    @Test
    void optionsDefaultToTheCardsScoreAndKeepEveryClass() throws Exception {
        NanodetDecoder.Options o = ObjectOptions.read(JSON.readTree("{}"), 0.35);
        assertThat(o.minScore()).isEqualTo(0.35);
        assertThat(o.maxResults()).isEqualTo(ObjectOptions.DEFAULT_MAX_RESULTS);
        assertThat(o.classes()).isEmpty();
        NanodetDecoder.Options p = ObjectOptions.read(JSON.readTree("{\"minScore\":0.5,\"maxResults\":3,"
                + "\"classes\":[\"cat\",\"person\",\"teddy bear\"]}"), 0.35);
        assertThat(p.minScore()).isEqualTo(0.5);
        assertThat(p.maxResults()).isEqualTo(3);
        assertThat(p.classes()).isEqualTo(Set.of(15, 0, 77));
    }

    @Test
    void anUnknownClassOrAnOutOfRangeOptionIsRefusedWithItsReason() {
        assertThatThrownBy(() -> ObjectOptions.read(JSON.readTree("{\"classes\":[\"cat\",\"unicorn\"]}"), 0.35))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"unicorn\"").hasMessageContaining("COCO-80");
        assertThatThrownBy(() -> ObjectOptions.read(JSON.readTree("{\"classes\":\"cat\"}"), 0.35))
                .hasMessageContaining("options.classes");
        assertThatThrownBy(() -> ObjectOptions.read(JSON.readTree("{\"minScore\":1.5}"), 0.35)).hasMessageContaining("minScore");
        assertThatThrownBy(() -> ObjectOptions.read(JSON.readTree("{\"maxResults\":0}"), 0.35)).hasMessageContaining("maxResults");
        assertThatThrownBy(() -> ObjectOptions.read(JSON.readTree("{\"maxResults\":2.5}"), 0.35)).hasMessageContaining("maxResults");
        assertThatThrownBy(() -> ObjectOptions.overlay(JSON.readTree("{\"overlay\":\"no\"}"))).hasMessageContaining("overlay");
    }

    @Test
    void theOverlayIsWrittenUnlessAskedNotToAndPhotoLabelsAskNotTo() throws Exception {
        assertThat(ObjectOptions.overlay(JSON.readTree("{}"))).isTrue();
        assertThat(ObjectOptions.overlay(JSON.readTree("{\"overlay\":false}"))).isFalse();
        assertThat(ObjectOptions.overlay(new ObjectsTask().withoutArtifacts())).isFalse();
    }

    @Test
    void theCloudVisionAnswerHasNormalisedVerticesClockwiseFromTheTopLeft() throws Exception {
        JsonNode item = JSON.readTree("{\"width\":400,\"height\":200,\"objects\":[{\"name\":\"dog\",\"score\":0.7,"
                + "\"box\":{\"x\":100,\"y\":50,\"width\":200,\"height\":100}}]}");
        JsonNode a = ObjectVision.annotation(item).path("localizedObjectAnnotations").get(0);
        assertThat(a.path("name").asText()).isEqualTo("dog");
        assertThat(a.path("score").asDouble()).isEqualTo(0.7);
        JsonNode v = a.path("boundingPoly").path("normalizedVertices");
        assertThat(v).hasSize(4);
        assertThat(v.get(0).path("x").asDouble()).isEqualTo(0.25);
        assertThat(v.get(0).path("y").asDouble()).isEqualTo(0.25);
        assertThat(v.get(2).path("x").asDouble()).isEqualTo(0.75);
        assertThat(v.get(2).path("y").asDouble()).isEqualTo(0.75);
        assertThat(ObjectVision.annotation(JSON.readTree("{\"width\":4,\"height\":2,\"objects\":[]}")).isEmpty()).isTrue();
    }
}
