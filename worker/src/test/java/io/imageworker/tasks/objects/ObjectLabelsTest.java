package io.imageworker.tasks.objects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** {@link ObjectLabels}: an objects item's classes as Cloud Vision labelAnnotations. */
class ObjectLabelsTest {

    static ObjectNode item(Object... nameScore) {
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("width", 100).put("height", 100);
        ArrayNode objects = item.putArray("objects");
        for (int i = 0; i < nameScore.length; i += 2) {
            objects.addObject().put("name", (String) nameScore[i]).put("score", (Double) nameScore[i + 1]);
        }
        return item;
    }

    @Test
    void oneLabelPerClassWithItsBestScoreAndHowManyBestFirst() throws Exception {
        JsonNode labels = ObjectLabels.annotation(item("person", 0.61, "dog", 0.72, "person", 0.9, "person", 0.4), 0)
                .path("labelAnnotations");

        assertThat(labels).hasSize(2);
        JsonNode person = labels.get(0);
        assertThat(person.path("description").asText()).isEqualTo("person");
        assertThat(person.path("score").asDouble()).isEqualTo(0.9);
        assertThat(person.path("topicality").asDouble()).isEqualTo(0.9);
        assertThat(person.has("mid")).isFalse();
        assertThat(person.path("properties")).hasSize(1);
        assertThat(person.path("properties").get(0).path("name").asText()).isEqualTo("instances");
        assertThat(person.path("properties").get(0).path("value").asText()).isEqualTo("3");
        assertThat(person.path("properties").get(0).path("uint64Value").asText()).isEqualTo("3");
        assertThat(labels.get(1).path("description").asText()).isEqualTo("dog");
        assertThat(labels.get(1).path("properties").get(0).path("value").asText()).isEqualTo("1");
        // the shape Cloud Vision's EntityAnnotation has: no field of our own
        assertThat(JsonMapper.builder().build().writeValueAsString(person)).doesNotContain("count");
    }

    @Test
    void maxResultsCutsTheLabelsNotTheInstances() {
        JsonNode labels = ObjectLabels.annotation(item("cat", 0.5, "person", 0.8, "person", 0.7, "car", 0.6), 2)
                .path("labelAnnotations");

        assertThat(labels).hasSize(2);
        assertThat(labels.get(0).path("description").asText()).isEqualTo("person");
        assertThat(labels.get(0).path("properties").get(0).path("value").asText()).isEqualTo("2");
        assertThat(labels.get(1).path("description").asText()).isEqualTo("car");
    }

    @Test
    void cloudVisionsDefaultOfTenLabelsAndTiesByName() {
        Object[] many = new Object[24];
        for (int i = 0; i < 12; i++) {
            many[2 * i] = CocoLabels.NAMES.get(11 - i);
            many[2 * i + 1] = 0.5;
        }
        JsonNode labels = ObjectLabels.annotation(item(many), 0).path("labelAnnotations");

        assertThat(labels).hasSize(ObjectLabels.DEFAULT_MAX_RESULTS);
        for (int i = 1; i < labels.size(); i++) {
            assertThat(labels.get(i).path("description").asText()).isGreaterThan(labels.get(i - 1).path("description").asText());
        }
    }

    @Test
    void noObjectNoField() {
        assertThat(ObjectLabels.annotation(item(), 0).isEmpty()).isTrue();
    }
}
