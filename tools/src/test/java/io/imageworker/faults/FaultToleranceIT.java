package io.imageworker.faults;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults against the worker as a real process, the real broker and the real object store: every
 * accepted job ends with a terminal result however the worker, the broker or the store misbehave.
 * Each test has topics and a consumer group of its own.
 */
class FaultToleranceIT {

    static final EventSchemas SCHEMAS = new EventSchemas();

    LocalStack stack;
    ObjectStore store;
    EventLog events;
    String jobs;
    String results;
    String dlq;
    String progress;
    WorkerTopics topics;
    final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void topics() {
        stack = LocalStack.shared();
        store = stack.objectStore();
        topics = WorkerTopics.create(stack, "ft", 6);
        jobs = topics.jobs();
        results = topics.results();
        dlq = topics.deadLetter();
        progress = topics.progress();
        events = new EventLog(stack.bootstrap(), List.of(results, dlq));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (WorkerProcess w : workers) {
            w.close();
        }
        events.close();
    }

    WorkerProcess worker(String id, Map<String, String> extra) throws Exception {
        WorkerProcess w = launch(id, extra);
        w.awaitReady(Duration.ofSeconds(120));
        return w;
    }

    WorkerProcess launch(String id, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(topics.env(Map.of("IMAGE_WORKER_LIMITS_MAX_IN_FLIGHT_JOBS", "8")));
        env.putAll(extra);
        WorkerProcess w = WorkerProcess.launch(stack, id + "-" + jobs, env);
        workers.add(w);
        return w;
    }

    /** Uploads {@code images} digits per job and produces the jobs; returns their ids. */
    List<String> submit(String name, int count, int images) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            String jobId = name + "-" + j + "-" + UUID.randomUUID().toString().substring(0, 6);
            StringBuilder inputs = new StringBuilder();
            for (int i = 0; i < images; i++) {
                S3Location loc = new S3Location("images", "ft/" + jobId + "/" + i + ".png");
                store.write(loc, Digits.png((j * images + i) % 10000), "image/png");
                inputs.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(loc).append("\"}");
            }
            events.produce(jobs, jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[" + inputs + "]}");
            ids.add(jobId);
        }
        return ids;
    }

    /** Waits until every job has at least one terminal result; returns the first result of each. */
    Map<String, JsonNode> awaitAll(List<String> ids, Duration timeout) throws InterruptedException {
        Map<String, JsonNode> out = new HashMap<>();
        Awaitility.await("a terminal result for every job").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (ConsumerRecord<byte[], byte[]> r : events.on(results)) {
                        String key = EventLog.key(r);
                        if (ids.contains(key) && !out.containsKey(key)) {
                            out.put(key, EventLog.json(r));
                        }
                    }
                    Set<String> missing = new HashSet<>(ids);
                    missing.removeAll(out.keySet());
                    assertThat(missing).as("jobs without a terminal result").isEmpty();
                });
        out.values().forEach(r -> assertThat(SCHEMAS.violations(EventSchemas.Contract.RESULT, r)).isEmpty());
        return out;
    }

    int resultCount() {
        return events.on(results).size();
    }

    void awaitResults(int n, Duration timeout) throws InterruptedException {
        Awaitility.await(n + " results").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(resultCount()).as("results so far").isGreaterThanOrEqualTo(n));
    }

    @Test
    void killDashNineInTheMiddleOfARunLosesNoJob() throws Exception {
        WorkerProcess first = worker("kill9-a", Map.of());
        List<String> ids = submit("kill9", 40, 4);
        awaitResults(5, Duration.ofSeconds(120));
        first.kill9();
        int before = resultCount();
        assertThat(before).as("killed in the middle of the run").isLessThan(ids.size());

        worker("kill9-b", Map.of());
        Map<String, JsonNode> all = awaitAll(ids, Duration.ofMinutes(4));
        assertThat(all.values()).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("succeeded"));
    }

    @Test
    void brokerRestartInTheMiddleOfARunLosesNoJob() throws Exception {
        worker("broker-restart", Map.of());
        List<String> ids = submit("broker", 30, 4);
        awaitResults(3, Duration.ofSeconds(120));
        stack.stopKafka();
        Thread.sleep(4000); // the outage itself: the broker stays down this long, nothing is waited for
        stack.startKafka();
        Map<String, JsonNode> all = awaitAll(ids, Duration.ofMinutes(4));
        assertThat(all.values()).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("succeeded"));
    }

    @Test
    void objectStoreOutageFailsItemsWithAClearErrorAndNothingHangs() throws Exception {
        worker("s3-outage", Map.of("IMAGE_WORKER_STORAGE_CALL_TIMEOUT", "8s", "IMAGE_WORKER_STORAGE_MAX_ATTEMPTS", "3"));
        List<String> before = submit("s3-before", 1, 2);
        awaitAll(before, Duration.ofSeconds(60));
        List<String> during = new ArrayList<>();
        stack.stopS3();
        try {
            String jobId = "s3-down-" + UUID.randomUUID().toString().substring(0, 6);
            events.produce(jobs, jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":["
                    + "{\"uri\":\"s3://images/ft/x/1.png\"},{\"uri\":\"s3://images/ft/x/2.png\"}]}");
            during.add(jobId);
            long t0 = System.nanoTime();
            JsonNode result = awaitAll(during, Duration.ofSeconds(90)).get(jobId);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(result.path("status").asText()).isEqualTo("failed");
            // Where the outage bites first depends on timing: the check for an earlier result
            // (job-level "unavailable", before any item) or the items and then the result files.
            assertThat(result.path("error").path("code").asText()).isIn("unavailable", "output-unavailable");
            assertThat(result.path("error").path("message").asText()).isNotBlank();
            assertThat(result.path("items")).allSatisfy(item -> {
                assertThat(item.path("error").path("code").asText()).isEqualTo("unavailable");
                assertThat(item.path("error").path("message").asText()).contains("after retries");
            });
            assertThat(seconds).as("seconds until the failed result").isLessThan(60);
        } finally {
            stack.startS3();
        }
        List<String> after = submit("s3-after", 1, 2);
        assertThat(awaitAll(after, Duration.ofSeconds(90)).get(after.get(0)).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void sigtermStopsTakingJobsAndHandsBackWithinTheGracePeriod() throws Exception {
        WorkerProcess first = worker("sigterm-a", Map.of("IMAGE_WORKER_CONSUMER_SHUTDOWN_GRACE", "10s"));
        List<String> ids = submit("sigterm", 30, 4);
        awaitResults(3, Duration.ofSeconds(120));
        long t0 = System.nanoTime();
        int exit = first.terminate(Duration.ofSeconds(40));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(exit).as("exit code after SIGTERM").isNotEqualTo(-1);
        assertThat(seconds).as("seconds to stop").isLessThan(10 + 15);
        assertThat(first.log()).contains("worker stopped");

        worker("sigterm-b", Map.of());
        Map<String, JsonNode> all = awaitAll(ids, Duration.ofMinutes(4));
        assertThat(all.values()).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("succeeded"));
    }

    @Test
    void twoWorkersShareThePartitionsAndOneFinishesWhenTheOtherStops() throws Exception {
        WorkerProcess a = worker("scale-a", Map.of());
        WorkerProcess b = worker("scale-b", Map.of());
        List<String> ids = submit("scale", 60, 3);
        awaitResults(20, Duration.ofSeconds(180));
        a.kill9();
        Map<String, JsonNode> all = awaitAll(ids, Duration.ofMinutes(4));
        Set<String> servedBy = new HashSet<>();
        all.values().forEach(r -> servedBy.add(r.path("workerId").asText()));
        assertThat(servedBy).as("workers that served jobs").containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(b.alive()).isTrue();
    }

    @Test
    void aJobThatKeepsCrashingTheWorkerIsDeadLetteredAfterMaxAttempts() throws Exception {
        Map<String, String> env = Map.of("IMAGE_WORKER_FAULTS_HALT_ON_INPUT", "poison", "IMAGE_WORKER_CONSUMER_MAX_ATTEMPTS", "3");
        List<String> good = submit("neighbour", 6, 2);
        String poisonId = "poison-job-" + UUID.randomUUID().toString().substring(0, 6);
        store.write(new S3Location("images", "ft/poison.png"), Digits.png(0), "image/png");
        events.produce(jobs, poisonId, "{\"jobId\":\"" + poisonId + "\",\"task\":\"classify\",\"inputs\":["
                + "{\"uri\":\"s3://images/ft/poison.png\"}]}");
        good.addAll(submit("neighbour-late", 6, 2));

        // A supervisor, as Kubernetes would be: each time the worker dies, start another.
        java.util.concurrent.atomic.AtomicInteger crashes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<WorkerProcess> w = new java.util.concurrent.atomic.AtomicReference<>(
                launch("crashloop-0", env));
        Awaitility.await("the poison job dead-lettered and every neighbour answered").atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!w.get().alive()) {
                        assertThat(crashes.incrementAndGet()).as("crashes").isLessThanOrEqualTo(3);
                        w.set(launch("crashloop-" + crashes.get(), env));
                    }
                    boolean dead = events.on(dlq).stream().anyMatch(r -> poisonId.equals(EventLog.header(r, "dlq-job-id")));
                    return dead && events.on(results).stream().map(EventLog::key).filter(good::contains).distinct().count()
                            == good.size();
                });
        assertThat(crashes.get()).as("times the poison job took the worker down").isEqualTo(3);
        ConsumerRecord<byte[], byte[]> dead = events.await(dlq, r -> poisonId.equals(EventLog.header(r, "dlq-job-id")),
                Duration.ofSeconds(5));
        assertThat(EventLog.header(dead, "dlq-reason-code")).isEqualTo("attempts-exhausted");
        assertThat(SCHEMAS.violations(EventSchemas.Contract.DEAD_LETTER, EventLog.headers(dead))).isEmpty();
        assertThat(events.result(results, poisonId, Duration.ofSeconds(5)).path("status").asText()).isEqualTo("rejected");
        Map<String, JsonNode> all = awaitAll(good, Duration.ofSeconds(30));
        assertThat(all.values()).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("succeeded"));
        assertThat(w.get().alive()).isTrue();
    }
}
