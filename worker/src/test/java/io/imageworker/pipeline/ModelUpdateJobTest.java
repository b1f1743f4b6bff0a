package io.imageworker.pipeline;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A model update while the worker runs, through the real broker and object store: versions of a
 * digit classifier (the built-in one, copied) are uploaded to the worker's {@code s3://} model
 * repository ({@code s3://results/byo-models/}) and taken up with {@code POST /admin/models/refresh}
 * while jobs keep arriving.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class ModelUpdateJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final List<String> FILES = List.of("mnist-cnn-bn-0000.params", "ood-mahalanobis.bin", "ood-probe.bin", "model.json");
    static final String WORDS = "[ \"zero\", \"one\", \"two\", \"three\", \"four\", \"five\", \"six\", \"seven\", \"eight\", \"nine\" ]";

    @TestHTTPResource(ModelAdmin.REFRESH)
    URL refresh;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void jobsSwitchToANewVersionWithoutFailingPinsKeepTheOldOneAndABrokenVersionIsRefused() throws Exception {
        String name = "live-digits-" + UUID.randomUUID().toString().substring(0, 8);
        publish(name, "1", null, null);
        String digit = upload("live/" + name + "/7.png", Digits.png(0)); // test digit 0 is a 7
        assertThat(Digits.label(0)).isEqualTo(7);

        JsonNode first = run(name, digit);
        assertThat(first.path("model").path("version").asText()).isEqualTo("1");
        assertThat(topLabel(first)).isEqualTo("7");

        // Version 2: the same weights, labels spelled out, so its results can be told apart.
        publish(name, "2", card -> card.replaceFirst("\"labels\" : \\[[^\\]]*\\]", java.util.regex.Matcher.quoteReplacement(
                "\"labels\" : " + WORDS)), null);
        // Jobs keep arriving while the new version loads, warms up and is swapped in.
        List<String> ids = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean swapped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread sender = new Thread(() -> {
            // Until the refresh has answered (the swap is done), then three more: those must get version 2.
            for (int after = 0; after < 3 && ids.size() < 400; ) {
                if (swapped.get()) {
                    after++;
                }
                String id = "live-" + UUID.randomUUID();
                synchronized (ids) {
                    ids.add(id);
                }
                events.produce("image-jobs", id, job(id, name, List.of(digit, digit)));
                try {
                    Thread.sleep(200); // pacing: a steady stream of jobs across the swap, not a wait for it
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sender.start();
        // jobs already on their way when the refresh is asked for
        Awaitility.await("the first jobs sent").atMost(WAIT).until(() -> {
            synchronized (ids) {
                return ids.size() >= 2;
            }
        });
        HttpResponse<String> r = post(refresh);
        swapped.set(true);
        sender.join();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = EventLog.JSON.readTree(r.body());
        assertThat(body.path("changes").toString()).contains("\"ref\":\"" + name + "\"").contains("\"from\":\"" + name + ":1\"")
                .contains("\"to\":\"" + name + ":2\"").contains("\"outcome\":\"updated\"");
        assertThat(body.path("serving").path(name).asText()).isEqualTo(name + ":2");
        List<String> versions = new ArrayList<>();
        for (String id : ids) {
            JsonNode result = events.result(id, WAIT);
            assertValid(EventSchemas.Contract.RESULT, result);
            assertThat(result.path("status").asText()).as("job during the switch: %s", result).isEqualTo("succeeded");
            versions.add(result.path("model").path("version").asText());
            String label = topLabel(result);
            assertThat(label).as("%s", result).isEqualTo(result.path("model").path("version").asText().equals("1") ? "7" : "seven");
        }
        System.out.println("MODEL UPDATE: versions of the " + versions.size() + " jobs sent across the switch: " + versions);
        assertThat(versions).containsOnly("1", "2").contains("1").endsWith("2", "2", "2");

        JsonNode after = run(name, digit);
        assertThat(after.path("model").path("version").asText()).isEqualTo("2");
        assertThat(topLabel(after)).isEqualTo("seven");
        JsonNode pinned = run(name + ":1", digit);
        assertThat(pinned.path("model").path("version").asText()).as("a job that pins version 1").isEqualTo("1");
        assertThat(topLabel(pinned)).isEqualTo("7");

        // Version 3 with its weights cut short: refused, version 2 keeps serving.
        publish(name, "3", null, params -> java.util.Arrays.copyOf(params, params.length / 2));
        HttpResponse<String> r3 = post(refresh);
        assertThat(r3.statusCode()).isEqualTo(200);
        JsonNode refused = EventLog.JSON.readTree(r3.body());
        assertThat(refused.path("changes").toString()).contains("\"to\":\"" + name + ":3\"").contains("\"outcome\":\"refused\"")
                .contains("\"reason\":\"load: ");
        assertThat(refused.path("serving").path(name).asText()).isEqualTo(name + ":2");
        JsonNode still = run(name, digit);
        assertThat(still.path("model").path("version").asText()).isEqualTo("2");

        String text = get(metrics);
        assertThat(text).containsPattern("image_worker_model_serving\\{model=\"" + name + "\",version=\"2\"} 1");
        assertThat(text).doesNotContainPattern("image_worker_model_serving\\{model=\"" + name + "\",version=\"3\"}");
        assertThat(text).containsPattern("image_worker_model_update_refused_total\\{model=\"" + name
                + "\",reason=\"load\",version=\"3\"} 1");
        String health = get(ready);
        assertThat(health).contains(name + "=" + name + ":2").contains(name + ":1=" + name + ":1");
    }

    JsonNode run(String model, String uri) {
        String id = "live-" + UUID.randomUUID();
        events.produce("image-jobs", id, job(id, model, List.of(uri)));
        JsonNode result = events.result(id, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        return result;
    }

    static String topLabel(JsonNode result) {
        return result.path("items").get(0).path("labels").get(0).path("label").asText();
    }

    static String job(String id, String model, List<String> uris) {
        var job = EventLog.JSON.createObjectNode().put("jobId", id).put("task", "classify").put("model", model);
        var inputs = job.putArray("inputs");
        uris.forEach(u -> inputs.addObject().put("uri", u));
        return job.toString();
    }

    static HttpResponse<String> post(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString()))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Uploads the built-in digit classifier as {@code <name>/<version>/}, its card last (the repository lists cards). */
    static void publish(String name, String version, UnaryOperator<String> card, UnaryOperator<byte[]> params) throws Exception {
        for (String f : FILES) {
            byte[] bytes;
            try (InputStream in = ModelUpdateJobTest.class.getResourceAsStream("/models/mnist-cnn-bn/1/" + f)) {
                bytes = in.readAllBytes();
            }
            if (f.equals("model.json")) {
                String text = new String(bytes, StandardCharsets.UTF_8).replace("\"name\" : \"mnist-cnn-bn\"", "\"name\" : \"" + name + "\"")
                        .replace("\"version\" : \"1\"", "\"version\" : \"" + version + "\"");
                bytes = (card == null ? text : card.apply(text)).getBytes(StandardCharsets.UTF_8);
            } else if (f.endsWith(".params") && params != null) {
                bytes = params.apply(bytes);
            }
            store.write(new S3Location("results", "byo-models/" + name + "/" + version + "/" + f), bytes, "application/octet-stream");
        }
    }
}
