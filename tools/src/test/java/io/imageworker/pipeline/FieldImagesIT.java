package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The same images as {@link FieldImagesJobTest}, through the packaged fast-jar ({@code quarkus-run.jar}) as a
 * process of its own: ImageIO's plugin discovery differs under the fast-jar's class loader, so this proves that
 * the TwelveMonkeys readers (WebP, CMYK and YCCK JPEG) serve the worker as shipped.
 */
class FieldImagesIT {

    @Test
    void thePackagedWorkerReadsEachImageAsAViewerShowsIt() throws Exception {
        LocalStack stack = LocalStack.shared();
        ObjectStore store = stack.objectStore();
        WorkerTopics topics = WorkerTopics.create(stack, "fi", 1);
        String t = topics.jobs();
        String jobs = topics.jobs();
        String results = topics.results();
        Map<String, String> env = topics.env(Map.of());
        try (EventLog events = new EventLog(stack.bootstrap(), List.of(results));
                WorkerProcess worker = WorkerProcess.start(stack, t, env)) {
            String jobId = t + "-job";
            List<FieldImages.Case> cases = FieldImages.all();
            StringBuilder inputs = new StringBuilder();
            for (FieldImages.Case c : cases) {
                S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, "fi/" + jobId + "/" + c.name());
                store.write(loc, c.bytes(), "application/octet-stream");
                inputs.append(inputs.length() == 0 ? "" : ",").append("{\"uri\":\"").append(loc).append("\"}");
            }
            events.produce(jobs, jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[" + inputs + "]}");
            ConsumerRecord<byte[], byte[]> record = events.await(results, r -> jobId.equals(EventLog.key(r)), Duration.ofSeconds(120));
            JsonNode result = EventLog.json(record);
            assertThat(new EventSchemas().violations(EventSchemas.Contract.RESULT, result)).isEmpty();
            for (int i = 0; i < cases.size(); i++) {
                FieldImages.Case c = cases.get(i);
                JsonNode item = result.path("items").get(i);
                assertThat(item.path("labels").get(0).path("label").asText()).as("top label of %s: %s", c.name(), item)
                        .isEqualTo(c.label());
                assertThat(item.path("width").asInt()).as("width of %s", c.name()).isEqualTo(c.width());
                assertThat(item.path("height").asInt()).as("height of %s", c.name()).isEqualTo(c.height());
                System.out.printf("FieldImagesIT %s -> %s (%.4f)%n", c.name(), item.path("labels").get(0).path("label").asText(),
                        item.path("labels").get(0).path("score").asDouble());
            }
        }
    }
}
