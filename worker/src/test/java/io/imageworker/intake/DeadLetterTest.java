package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Invalid job events go to the dead-letter topic, byte for byte, with the reason; the worker carries on. */
@QuarkusTest
@WithTestResource(StackResource.class)
class DeadLetterTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                   | {\"jobId\": \"ID\", \"task\": |not-json |false",
        "a JSON string, not a job   | \"hello\"                                              |invalid-job|false",
        "missing task               | {\"jobId\":\"ID\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]} |invalid-job|true",
        "unknown task               | {\"jobId\":\"ID\",\"task\":\"ocr\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]} |invalid-job|true",
        "wrong type                 | {\"jobId\":\"ID\",\"task\":\"classify\",\"inputs\":\"s3://images/a.png\"} |invalid-job|true",
        "unknown field              | {\"jobId\":\"ID\",\"task\":\"classify\",\"inputz\":[]} |invalid-job|true",
        "no inputs                  | {\"jobId\":\"ID\",\"task\":\"classify\",\"inputs\":[]} |invalid-job|true",
        "unknown model              | {\"jobId\":\"ID\",\"task\":\"classify\",\"model\":\"nope\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]} |unknown-model|true",
        "output outside allow-list  | {\"jobId\":\"ID\",\"task\":\"classify\",\"output\":{\"uri\":\"s3://images/steal/\"},\"inputs\":[{\"uri\":\"s3://images/a.png\"}]} |not-allowed|true",
        "topK above label count     | {\"jobId\":\"ID\",\"task\":\"classify\",\"options\":{\"topK\":11},\"inputs\":[{\"uri\":\"s3://images/a.png\"}]} |invalid-job|true",
    })
    void invalidEventIsDeadLetteredWithItsReason(String name, String template, String code, boolean hasJobId) {
        String jobId = "bad-" + UUID.randomUUID();
        byte[] value = template.strip().replace("ID", jobId).getBytes(StandardCharsets.UTF_8);
        String key = "key-" + jobId;
        events.produce("image-jobs", key, value);

        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> key.equals(EventLog.key(r)), WAIT);

        assertThat(dead.value()).as("original bytes").isEqualTo(value);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(SCHEMAS.violations(EventSchemas.Contract.DEAD_LETTER, envelope)).isEmpty();
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo(code);
        assertThat(envelope.path("dlq-reason").asText()).isNotBlank();
        assertThat(envelope.path("dlq-original-topic").asText()).isEqualTo("image-jobs");
        if (hasJobId) {
            assertThat(envelope.path("dlq-job-id").asText()).isEqualTo(jobId);
            JsonNode rejected = events.result(jobId, WAIT);
            assertThat(SCHEMAS.violations(EventSchemas.Contract.RESULT, rejected)).isEmpty();
            assertThat(rejected.path("status").asText()).isEqualTo("rejected");
            assertThat(rejected.path("error").path("code").asText()).isEqualTo(code);
        }
    }

    @Test
    void theWorkerCarriesOnAfterGarbage() throws Exception {
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 0xff);
        events.produce("image-jobs", "garbage", garbage);
        events.produce("image-jobs", null, "{}");

        String jobId = "after-garbage-" + UUID.randomUUID();
        LocalStack.shared().objectStore().write(new io.imageworker.storage.S3Location("images", jobId + ".png"), Digits.png(3),
                "image/png");
        events.produce("image-jobs", jobId,
                "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/" + jobId + ".png\"}]}");

        assertThat(events.result(jobId, WAIT).path("status").asText()).isEqualTo("succeeded");
        assertThat(events.await("image-jobs-dlq", r -> "garbage".equals(EventLog.key(r)), WAIT)).isNotNull();
    }
}
