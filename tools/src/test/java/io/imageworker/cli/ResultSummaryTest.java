package io.imageworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ResultSummary}: photo labels are said to be photo labels, and objects are listed with their boxes. */
class ResultSummaryTest {

    static String summary(String result) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ResultSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(JsonMapper.builder().build().readTree(result),
                Map.of());
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aClassifyPhotoSaysItsLabelSetAndTheAbstentionAndADigitItsDigit() throws Exception {
        String out = summary("{\"jobId\":\"j\",\"status\":\"succeeded\",\"items\":["
                + "{\"uri\":\"s3://i/cat.png\",\"status\":\"succeeded\",\"labels\":[{\"label\":\"cat\",\"score\":0.566,\"instances\":1}],"
                + "\"labelSet\":\"coco-80\",\"outOfDistribution\":{\"score\":183.9,\"threshold\":1.0,\"reasons\":[\"border\"]}},"
                + "{\"uri\":\"s3://i/7.png\",\"status\":\"succeeded\",\"labels\":[{\"label\":\"7\",\"score\":0.99}]}]}");

        assertThat(out).contains("photo labels (coco-80): cat (0.566); not what the model knows (out-of-distribution score 183.90");
        assertThat(out.lines().filter(l -> l.contains("7.png")).findFirst().orElseThrow()).contains("7 (0.990)")
                .doesNotContain("photo labels");
    }

    @Test
    void objectsAreListedWithScoreAndBox() throws Exception {
        String out = summary("{\"jobId\":\"j\",\"status\":\"succeeded\",\"items\":[{\"uri\":\"s3://i/a.png\",\"status\":\"succeeded\","
                + "\"objectCount\":1,\"objects\":[{\"name\":\"person\",\"score\":0.735,\"box\":{\"x\":14.3,\"y\":14.4,\"width\":350.0,"
                + "\"height\":493.6}}]}]}");

        assertThat(out).contains("1 object(s); person 0.74 at 14,14 350x493");
    }
}
