package io.imageworker.bench;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Images;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A restart reuses the warm-up choices the first start kept: the packaged worker with every default
 * model starts once with an empty choices folder (each model measures its batch size and threads)
 * and again with the same folder (each model warms its kept batch sizes, nothing is timed), is
 * ready sooner, and serves a job that needs a companion model.
 */
class RestartIT {

    static final Pattern MEASURED = Pattern.compile("(\\S+) measured at warm-up");
    static final Pattern REUSED = Pattern.compile("(\\S+) warmed up in \\d+ ms with the choice kept in");

    @Test
    void aRestartReusesEveryModelsWarmUpChoiceAndIsReadySooner() throws Exception {
        LocalStack stack = LocalStack.shared();
        WorkerTopics topics = WorkerTopics.create(stack, "restart", 1);
        Path choices = Files.createTempDirectory(Repo.path("tools/target"), "restart-choices");
        Map<String, String> env = new HashMap<>(topics.env(Map.of("IMAGE_WORKER_BATCHING_CHOICES_DIR", choices.toString())));
        env.put("IMAGE_WORKER_MODELS_PRELOAD", null); // as the chart: every task with a default model

        double first;
        List<String> measured;
        try (WorkerProcess w = WorkerProcess.launch(stack, "first-" + topics.jobs(), env)) {
            first = w.awaitReady(Duration.ofSeconds(300));
            measured = names(MEASURED, w.log());
        }
        assertThat(measured).as("the first start measures").isNotEmpty();
        try (var kept = Files.list(choices)) {
            assertThat(kept.count()).as("one kept choice per measured model").isEqualTo(measured.size());
        }

        String receipt = "s3://" + LocalStack.INPUT_BUCKET + "/" + topics.jobs() + "/receipt.png";
        stack.objectStore().write(S3Location.parse(receipt), Images.resource("/text/receipt.png"), "image/png");
        try (EventLog events = new EventLog(stack.bootstrap(), List.of(topics.results()));
                WorkerProcess w = WorkerProcess.launch(stack, "again-" + topics.jobs(), env)) {
            double again = w.awaitReady(Duration.ofSeconds(300));
            String log = w.log();
            System.out.printf("RESTART ready after %.1f s on the first start, %.1f s on the restart (%d models)%n", first, again,
                    measured.size());
            assertThat(names(MEASURED, log)).as("nothing measured again").isEmpty();
            assertThat(names(REUSED, log)).as("every model reuses its choice").containsExactlyInAnyOrderElementsOf(measured);
            assertThat(again).as("ready sooner than the first start (%.1f s)", first).isLessThan(first);

            String id = topics.jobs() + "-text";
            events.produce(topics.jobs(), id, "{\"jobId\":\"" + id + "\",\"task\":\"text\",\"inputs\":[{\"uri\":\"" + receipt + "\"}]}");
            JsonNode result = events.result(topics.results(), id, Duration.ofSeconds(120));
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
            assertThat(result.path("items").get(0).path("text").path("fullText").asText()).contains("Total due: 1,234.56 EUR");
        }
    }

    static List<String> names(Pattern p, String log) {
        Matcher m = p.matcher(log);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
