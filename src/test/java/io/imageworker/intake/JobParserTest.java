package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobParserTest {

    final JobParser parser = new JobParser(new ObjectMapper(), new EventSchemas(), 2048);

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
