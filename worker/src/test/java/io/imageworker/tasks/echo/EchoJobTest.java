package io.imageworker.tasks.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.pipeline.Tasks;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The proof that a task is one package: {@link EchoTask} and its schema fragment live only in this
 * test package, and the worker serves it through the real broker and object store, validates its
 * options by the fragment (the published schemas, which the application's own tasks assemble to,
 * do not know it), and answers its Cloud Vision feature in annotate jobs.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class EchoJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(120);

    @Inject
    Tasks tasks;

    @Test
    void theTaskIsServedEndToEnd() throws Exception {
        String jobId = "echo-" + UUID.randomUUID();
        String uri = upload(jobId + "/seven.png", Digits.png(7));
        String job = "{\"jobId\":\"" + jobId + "\",\"task\":\"echo\",\"options\":{\"note\":\"hello\"},"
                + "\"inputs\":[{\"uri\":\"" + uri + "\"}]}";
        // the published job schema is the application's own tasks': it refuses this job, the worker's takes it
        assertThat(SCHEMAS.violations(EventSchemas.Contract.JOB, EventLog.JSON.readTree(job))).isNotEmpty();
        EventSchemas worker = new EventSchemas(tasks.schemas());
        assertThat(worker.violations(EventSchemas.Contract.JOB, EventLog.JSON.readTree(job))).isEmpty();

        events.produce("image-jobs", jobId, job);
        JsonNode result = events.result(jobId, WAIT);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("task").asText()).isEqualTo("echo");
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(worker.violations(EventSchemas.Contract.RESULT, result)).as("by the echo fragment's item shape").isEmpty();
        JsonNode echo = result.path("items").get(0).path("echo");
        assertThat(echo.path("width").asInt()).isEqualTo(Digits.image(7).getWidth());
        assertThat(echo.path("height").asInt()).isEqualTo(Digits.image(7).getHeight());
        assertThat(echo.path("note").asText()).isEqualTo("hello");
        assertThat(result.has("model")).as("a task without a model").isFalse();
    }

    @Test
    void anOptionTheFragmentRefusesIsDeadLetteredWithTheReason() {
        String jobId = "echo-bad-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"echo\",\"options\":{\"note\":42},"
                + "\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}");
        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> jobId.equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("invalid-job");
        assertThat(envelope.path("dlq-reason").asText()).contains("/options/note");
        assertThat(events.result(jobId, WAIT).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void annotateAsksItForItsCloudVisionFeature() throws Exception {
        String jobId = "echo-annotate-" + UUID.randomUUID();
        String uri = upload(jobId + "/three.png", Digits.png(3));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"features\":[{\"type\":\"CROP_HINTS\"}],"
                + "\"inputs\":[{\"uri\":\"" + uri + "\"}]}");
        JsonNode result = events.result(jobId, WAIT);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode hint = result.path("items").get(0).path("cropHintsAnnotation").path("cropHints").get(0);
        assertThat(hint.path("confidence").asDouble()).isEqualTo(1.0);
        JsonNode vertices = hint.path("boundingPoly").path("vertices");
        assertThat(vertices).hasSize(4);
        assertThat(vertices.get(2).path("x").asInt()).isEqualTo(Digits.image(3).getWidth());
        assertThat(vertices.get(2).path("y").asInt()).isEqualTo(Digits.image(3).getHeight());
    }
}
