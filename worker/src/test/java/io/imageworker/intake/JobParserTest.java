package io.imageworker.intake;

import io.imageworker.job.Rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobParserTest {

    final JobParser parser = new JobParser(new EventSchemas(), 2048);

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesAFullJob() throws Exception {
        JobRequest job = parser.parse(bytes("""
                {"jobId":"j-1","task":"classify","inputs":[{"uri":"s3://images/a.png","id":"A"}],
                 "output":{"uri":"s3://results/x/"},"model":"m:2","options":{"topK":3},"priority":7,
                 "deadline":"2026-11-27T12:00:00+01:00","metadata":{"team":"t"}}"""));
        assertThat(job.jobId()).isEqualTo("j-1");
        assertThat(job.inputs()).containsExactly(new JobRequest.Input("s3://images/a.png", "A"));
        assertThat(job.outputUri()).isEqualTo("s3://results/x/");
        assertThat(job.model()).isEqualTo("m:2");
        assertThat(job.options().get("topK").asInt()).isEqualTo(3);
        assertThat(job.priority()).isEqualTo(7);
        assertThat(job.deadline()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(job.metadata()).containsEntry("team", "t");
    }

    @Test
    void aJobWithFeaturesIsAnAnnotateJob() throws Exception {
        JobRequest job = parser.parse(bytes("""
                {"jobId":"a-1","inputs":[{"uri":"s3://images/a.png"}],
                 "features":[{"type":"TEXT_DETECTION"},{"type":"FACE_DETECTION","maxResults":10,"model":"builtin/stable"}]}"""));
        assertThat(job.task()).isEqualTo("annotate");
        assertThat(job.featuresOf(0)).containsExactly(new JobRequest.Feature("TEXT_DETECTION", 0, null),
                new JobRequest.Feature("FACE_DETECTION", 10, "builtin/stable"));
        assertCode("{\"jobId\":\"a-2\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}],"
                + "\"features\":[{\"type\":\"TEXT_DETECTION\"},{\"type\":\"TEXT_DETECTION\",\"maxResults\":2}]}",
                "invalid-job", "a-2");
    }

    /** A Cloud Vision asyncBatchAnnotate body: job id from the key, one input per request with its own features. */
    @Test
    void aCloudVisionRequestIsAJobKeyedByItsRecord() throws Exception {
        byte[] body = bytes("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png"}},"features":[{"type":"TEXT_DETECTION"}]},
                  {"image":{"source":{"imageUri":"s3://images/b.png"}},"features":[{"type":"LABEL_DETECTION","maxResults":2}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/vision/"}},"labels":{"team":"t"}}""");
        JobRequest job = parser.parse(body, bytes("vision-1"));
        assertThat(job.jobId()).isEqualTo("vision-1");
        assertThat(job.task()).isEqualTo("annotate");
        assertThat(job.inputs()).extracting(JobRequest.Input::uri).containsExactly("s3://images/a.png", "s3://images/b.png");
        assertThat(job.featuresOf(1)).containsExactly(new JobRequest.Feature("LABEL_DETECTION", 2, null));
        assertThat(job.visionOutput()).isEqualTo(new JobRequest.VisionOutput("s3://results/vision/", 20));
        assertThat(job.metadata()).containsEntry("team", "t");
        assertThatThrownBy(() -> parser.parse(body, null)).isInstanceOfSatisfying(Rejection.Exception.class,
                e -> assertThat(e.rejection().reason()).contains("record key"));
    }

    @Test
    void reasonsAreSpecific() {
        assertCode("", "not-json", null);
        assertCode("{\"jobId\":", "not-json", null);
        assertCode("[1,2]", "invalid-job", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\"}", "invalid-job", "j");
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}],\"deadline\":\"soon\"}",
                "invalid-job", "j");
        assertCode("{\"jobId\":\"../../etc\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}",
                "invalid-job", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[" + "{\"uri\":\"s3://images/a.png\"},".repeat(100)
                + "{\"uri\":\"s3://images/a.png\"}]}", "too-large", null);
    }

    static final String JOB = "{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}";

    @Test
    void aNameTwiceInOneObjectIsAmbiguousAtAnyDepth() {
        // The field case: inputs twice, the first naming a 7 and the second a 3 (last one won before).
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/7.png\"}],"
                + "\"inputs\":[{\"uri\":\"s3://images/3.png\"}]}", "invalid-job", "j");
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"task\":\"segment\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}",
                "invalid-job", "j");
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}],"
                + "\"options\":{\"topK\":1,\"topK\":9}}", "invalid-job", "j");
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\",\"uri\":\"s3://images/b.png\"}]}",
                "invalid-job", "j");
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}],"
                + "\"metadata\":{\"team\":\"a\",\"team\":\"b\"}}", "invalid-job", "j");
        // Which id would a reader take? Neither: no result is published under a guessed id.
        assertCode("{\"jobId\":\"a\",\"jobId\":\"b\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}",
                "invalid-job", null);
    }

    @Test
    void contentAfterTheFirstValueIsNotOneJsonValue() {
        assertCode(JOB + JOB, "not-json", null);
        assertCode(JOB + "\n" + JOB, "not-json", null);
        assertCode(JOB + "}", "not-json", null);
        assertCode(JOB + "]", "not-json", null);
        assertCode(JOB + " x", "not-json", null);
        assertCode(JOB + " 1", "not-json", null);
        assertCode(JOB + " null", "not-json", null);
    }

    @Test
    void nonStandardJsonIsRefused() {
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",/* c */\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}", "not-json", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]} # c", "not-json", null);
        assertCode("{'jobId':'j','task':'classify','inputs':[{'uri':'s3://images/a.png'}]}", "not-json", null);
        assertCode("{jobId:\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}", "not-json", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"},]}", "not-json", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}],}", "not-json", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"priority\":NaN,\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}", "not-json", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"priority\":07,\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}", "not-json", null);
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"metadata\":{\"a\":\"tab\there\"},\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}",
                "not-json", null);
        String deep = "{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}],\"options\":"
                + "[".repeat(JobParser.MAX_DEPTH + 1) + "]".repeat(JobParser.MAX_DEPTH + 1) + "}";
        assertCode(deep, "not-json", null);
    }

    @Test
    void onlyUtf8IsRead() throws Exception {
        assertThatThrownBy(() -> parser.parse(JOB.getBytes(StandardCharsets.UTF_16BE))).isInstanceOfSatisfying(
                Rejection.Exception.class, e -> assertThat(e.rejection().code()).isEqualTo("not-json"));
        assertThatThrownBy(() -> parser.parse(JOB.getBytes(StandardCharsets.UTF_16LE))).isInstanceOfSatisfying(
                Rejection.Exception.class, e -> assertThat(e.rejection().code()).isEqualTo("not-json"));
        byte[] latin1 = "{\"jobId\":\"j\",\"task\":\"classify\",\"metadata\":{\"city\":\"K\u00f6ln\"},\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> parser.parse(latin1)).isInstanceOfSatisfying(Rejection.Exception.class,
                e -> assertThat(e.rejection().code()).isEqualTo("not-json"));
        // RFC 8259 lets a reader ignore a UTF-8 byte order mark; non-ASCII UTF-8 in strings is fine.
        byte[] bom = bytes("\ufeff" + JOB);
        assertThat(parser.parse(bom).jobId()).isEqualTo("j");
        assertThat(parser.parse(bytes("{\"jobId\":\"j\",\"task\":\"classify\",\"metadata\":{\"city\":\"K\u00f6ln \u2713\"},"
                + "\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}")).metadata()).containsEntry("city", "K\u00f6ln \u2713");
    }

    @Test
    void anUnpairedSurrogateEscapeIsRefused() {
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"metadata\":{\"a\":\"x\\ud800y\"},\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}",
                "not-json", "j");
        assertCode("{\"jobId\":\"j\",\"task\":\"classify\",\"metadata\":{\"\\udc00\":\"x\"},\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}",
                "not-json", null);
        // A pair written as two escapes is one character, and fine.
        assertThat(JobParser.unpairedSurrogate(EventLogFree.tree("{\"a\":\"\\ud83d\\ude00\"}"))).isNull();
    }

    @Test
    void whitespaceAroundTheObjectIsFine() throws Exception {
        assertThat(parser.parse(bytes(" \n\t" + JOB + " \r\n")).jobId()).isEqualTo("j");
    }

    /** Reads JSON for helpers under test without the parser under test. */
    static final class EventLogFree {
        static com.fasterxml.jackson.databind.JsonNode tree(String s) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void schemaViolationsNameWhere() {
        assertThatThrownBy(() -> parser.parse(bytes("{\"jobId\":\"j\",\"task\":\"classify\",\"inputs\":[{\"uri\":5}]}")))
                .isInstanceOf(Rejection.Exception.class).hasMessageContaining("/inputs/0/uri");
    }

    void assertCode(String value, String code, String jobId) {
        assertThatThrownBy(() -> parser.parse(bytes(value))).isInstanceOfSatisfying(Rejection.Exception.class, e -> {
            assertThat(e.rejection().code()).as(value).isEqualTo(code);
            assertThat(e.rejection().jobId()).isEqualTo(jobId);
            assertThat(e.rejection().reason()).isNotBlank();
        });
    }
}
