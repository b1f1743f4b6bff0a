package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Images;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Both engines in one packaged worker ({@code quarkus-run.jar} as a process of its own): a classify
 * job on the MXNet digit model, a text job on PP-OCRv4 and a faces job on BlazeFace (ONNX Runtime,
 * OpenCV's natives unpacked under the fast-jar's class loader), one after the other on the same
 * process, each answered right.
 */
class RealPhotosIT {

    @Test
    void onePackagedWorkerServesMxnetAndOnnxModels() throws Exception {
        LocalStack stack = LocalStack.shared();
        ObjectStore store = stack.objectStore();
        WorkerTopics topics = WorkerTopics.create(stack, "rp", 1);
        String t = topics.jobs();
        String jobs = topics.jobs();
        String results = topics.results();
        Map<String, String> env = topics.env(Map.of("IMAGE_WORKER_MODELS_PRELOAD", "classify,text,faces"));
        try (EventLog events = new EventLog(stack.bootstrap(), List.of(results));
                WorkerProcess worker = WorkerProcess.start(stack, t, env)) {
            String digit = put(store, t + "/seven.jpg", Images.resource("/cases/field/exif-orient6-7.jpg"));
            String receipt = put(store, t + "/receipt.png", Images.resource("/text/receipt.png"));
            String group = put(store, t + "/group.jpg", Images.resource("/datasets/faces/images/faceapi-sample5.jpg"));

            JsonNode classify = run(events, jobs, results, t + "-classify", "classify", digit);
            assertThat(classify.path("items").get(0).path("labels").get(0).path("label").asText()).isEqualTo("7");

            JsonNode text = run(events, jobs, results, t + "-text", "text", receipt);
            assertThat(text.path("items").get(0).path("text").path("fullText").asText()).contains("Total due: 1,234.56 EUR");
            assertThat(text.path("model").path("name").asText()).isEqualTo("ppocr-v4-det");

            JsonNode faces = run(events, jobs, results, t + "-faces", "faces", group);
            assertThat(faces.path("items").get(0).path("faceCount").asInt()).as(faces.toString()).isEqualTo(5);
            assertThat(faces.path("items").get(0).path("artifacts").path("overlay").asText()).startsWith("s3://");
        }
    }

    static String put(ObjectStore store, String key, byte[] bytes) throws Exception {
        S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, key);
        store.write(loc, bytes, "application/octet-stream");
        return loc.toString();
    }

    static JsonNode run(EventLog events, String jobs, String results, String jobId, String task, String uri) throws Exception {
        events.produce(jobs, jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"" + task + "\",\"inputs\":[{\"uri\":\"" + uri + "\"}]}");
        ConsumerRecord<byte[], byte[]> record = events.await(results, r -> jobId.equals(EventLog.key(r)), Duration.ofSeconds(180));
        JsonNode result = EventLog.json(record);
        assertThat(new EventSchemas().violations(EventSchemas.Contract.RESULT, result)).isEmpty();
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        return result;
    }
}
