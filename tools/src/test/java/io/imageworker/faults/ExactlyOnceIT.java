package io.imageworker.faults;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code image-worker.delivery=exactly-once} against kill -9: the packaged worker serves 500
 * single-image jobs, is killed mid-run, a second worker of the same group takes over, and a
 * {@code read_committed} reader of the results topic sees exactly one result per job. The same run
 * in the default at-least-once mode, as a control, shows repeated results.
 */
class ExactlyOnceIT {

    static final int JOBS = 500;

    final List<WorkerProcess> workers = new ArrayList<>();
    EventLog committed;
    EventLog everything;

    @AfterEach
    void stopAll() throws Exception {
        for (WorkerProcess w : workers) {
            w.close();
        }
        if (committed != null) {
            committed.close();
        }
        if (everything != null) {
            everything.close();
        }
    }

    /** What a reader of the results topic saw after a kill -9 and a take-over. */
    record Outcome(int atKill, Map<String, Integer> perJob, List<String> ids, WorkerTopics topics) {
        Map<String, Integer> repeated() {
            return perJob.entrySet().stream().filter(e -> e.getValue() != 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        List<String> missing() {
            return ids.stream().filter(id -> !perJob.containsKey(id)).toList();
        }
    }

    @Test
    void killDashNineMidRunStillGivesEachJobExactlyOneCommittedResult() throws Exception {
        Outcome o = killAndTakeOver("exactly-once");
        assertThat(o.missing()).as("jobs without a committed result").isEmpty();
        assertThat(o.repeated()).as("jobs with more than one committed result").isEmpty();
        assertThat(o.perJob().keySet()).as("results only for the jobs submitted").isEqualTo(Set.copyOf(o.ids()));
        assertThat(committed.on(o.topics().results())).allSatisfy(
                r -> assertThat(EventLog.json(r).path("status").asText()).isEqualTo("succeeded"));
        assertThat(committed.on(o.topics().deadLetter())).as("dead letters").isEmpty();
    }

    /** The control: the same run at-least-once loses nothing but repeats results, which the count above would catch. */
    @Test
    void theSameRunAtLeastOnceRepeatsSomeResults() throws Exception {
        Outcome o = killAndTakeOver("at-least-once");
        assertThat(o.missing()).as("jobs without a result").isEmpty();
        assertThat(o.repeated()).as("jobs answered again after the kill").isNotEmpty();
    }

    /**
     * 500 single-image jobs waiting, a worker in {@code delivery} mode killed (-9) after its first
     * results, a second one of the same group finishing; the results per job id as a
     * {@code read_committed} reader sees them once the group has committed every job.
     */
    Outcome killAndTakeOver(String delivery) throws Exception {
        LocalStack stack = LocalStack.shared();
        ObjectStore store = stack.objectStore();
        WorkerTopics topics = WorkerTopics.create(stack, "eos", 3);
        committed = new EventLog(stack.bootstrap(), List.of(topics.results(), topics.deadLetter()), true);
        everything = new EventLog(stack.bootstrap(), List.of(topics.results()), false);
        Map<String, String> env = topics.env(Map.of(
                "IMAGE_WORKER_DELIVERY", delivery,
                "IMAGE_WORKER_LIMITS_MAX_IN_FLIGHT_JOBS", "16",
                // single-image jobs: result.json only, so the run is about delivery, not PUTs
                "IMAGE_WORKER_RESULTS_REPORT", "false",
                "IMAGE_WORKER_RESULTS_ITEMS_FILE_MIN_ITEMS", "2"));
        List<String> digits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, "eos/" + topics.jobs() + "/" + i + ".png");
            store.write(loc, Digits.png(i), "image/png");
            digits.add(loc.toString());
        }
        // every job waits in the topic before the first worker starts, so the kill lands mid-run however fast it is
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            String id = "eos-" + j + "-" + UUID.randomUUID().toString().substring(0, 6);
            committed.produce(topics.jobs(), id, "{\"jobId\":\"" + id + "\",\"task\":\"classify\",\"options\":{\"topK\":1},"
                    + "\"inputs\":[{\"uri\":\"" + digits.get(j % digits.size()) + "\"}]}");
            ids.add(id);
        }

        WorkerProcess first = start(stack, topics.name("eos-a"), env);
        awaitCommitted(committed, topics.results(), 20, Duration.ofMinutes(3));
        first.kill9();
        int atKill = committed.on(topics.results()).size();
        assertThat(atKill).as("results read when the first worker was killed").isLessThan(JOBS);

        start(stack, topics.name("eos-b"), env);
        awaitGroupCaughtUp(stack, topics, Duration.ofMinutes(6));
        // anything still on its way to the reader arrives: the count holds still for 3 s
        int[] seen = {-1};
        Awaitility.await("the results read hold still").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    int now = committed.on(topics.results()).size();
                    boolean still = now == seen[0];
                    seen[0] = now;
                    return still;
                });

        Map<String, Integer> perJob = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : committed.on(topics.results())) {
            perJob.merge(EventLog.key(r), 1, Integer::sum);
        }
        Outcome o = new Outcome(atKill, perJob, ids, topics);
        System.out.printf("%s: %d results read at the kill; after the take-over %d results read read_committed for %d jobs"
                + " (%d jobs answered more than once); %d records on the results topic read uncommitted%n", delivery,
                atKill, committed.on(topics.results()).size(), JOBS, o.repeated().size(), everything.on(topics.results()).size());
        return o;
    }

    WorkerProcess start(LocalStack stack, String id, Map<String, String> env) throws Exception {
        WorkerProcess w = WorkerProcess.launch(stack, id, env);
        workers.add(w);
        w.awaitReady(Duration.ofSeconds(180));
        return w;
    }

    static void awaitCommitted(EventLog log, String topic, int n, Duration timeout) throws InterruptedException {
        Awaitility.await("committed results on " + topic).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(log.on(topic).size()).as("committed results so far").isGreaterThanOrEqualTo(n));
    }

    /** Waits until the group's committed offsets reach the end of every jobs partition: every job is answered. */
    static void awaitGroupCaughtUp(LocalStack stack, WorkerTopics topics, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topics.jobs(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            Awaitility.await("the group commits every job").atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        Map<TopicPartition, OffsetAndMetadata> at = admin.listConsumerGroupOffsets(topics.jobs() + "-group")
                                .partitionsToOffsetAndMetadata().get();
                        assertThat(ends).as("committed %s", at).allSatisfy((tp, end) ->
                                assertThat(at.get(tp) == null ? -1 : at.get(tp).offset()).isGreaterThanOrEqualTo(end));
                    });
        }
    }
}
