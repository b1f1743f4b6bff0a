package io.imageworker.tasks.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.Colors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The share table of a job that compares segment models: one row per class, a column per model. */
class CompareReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String swatch(int c) {
        return "background:" + Colors.classHex(c);
    }

    @Test
    void modelsWithTheSameLabelsShareTheLegendsColour() throws Exception {
        List<String> digits = List.of("background", "0", "1", "2");
        List<JsonNode> answers = List.of(JSON.readTree("{\"classFractions\":{\"background\":0.9,\"2\":0.1}}"),
                JSON.readTree("{\"classFractions\":{\"background\":0.8,\"1\":0.2}}"));

        List<List<String>> rows = SegmentTask.compareRows(List.of(digits, digits), answers);

        assertThat(rows).extracting(r -> r.get(0).replaceAll("<[^>]*>", "").strip()).containsExactly("background", "2", "1");
        assertThat(rows.get(1).get(0)).contains(swatch(3));
        // the model that found no pixel of a class reads 0.0%, in the legend's colour (no swatch of its own)
        assertThat(rows.get(1).subList(1, 3)).containsExactly("10.0%", "0.0%");
        assertThat(rows.get(2).subList(1, 3)).containsExactly("0.0%", "20.0%");
    }

    @Test
    void aModelThatColoursAClassOtherwiseShowsItsOwnSwatch() throws Exception {
        List<String> own = List.of("background", "cat", "dog");
        List<String> other = List.of("background", "dog", "bird", "cat");
        List<JsonNode> answers = List.of(JSON.readTree("{\"classFractions\":{\"dog\":0.3}}"),
                JSON.readTree("{\"classFractions\":{\"dog\":0.4,\"bird\":0.1}}"));

        List<List<String>> rows = SegmentTask.compareRows(List.of(own, other), answers);

        // dog: index 2 for the job's model (the legend's colour), index 1 for the other
        assertThat(rows.get(0).get(0)).contains(swatch(2)).endsWith("dog");
        assertThat(rows.get(0).get(1)).isEqualTo("30.0%");
        assertThat(rows.get(0).get(2)).contains(swatch(1)).endsWith("40.0%");
        // bird: only the other model knows it, so the legend takes its colour
        assertThat(rows.get(1).get(0)).contains(swatch(2)).endsWith("bird");
        assertThat(rows.get(1).get(2)).isEqualTo("10.0%");
    }

    @Test
    void anAbstentionReadsAsSuch() throws Exception {
        List<String> digits = List.of("background", "0");
        List<JsonNode> answers = List.of(JSON.readTree("{\"classFractions\":{\"0\":0.5}}"),
                JSON.readTree("{\"outOfDistribution\":true,\"classFractions\":{}}"));

        assertThat(SegmentTask.compareRows(List.of(digits, digits), answers).get(0).get(2)).isEqualTo("abstained");
    }
}
