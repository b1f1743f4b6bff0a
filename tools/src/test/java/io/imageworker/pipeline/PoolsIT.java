package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.imaging.Fonts;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Images;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two pools through the real broker and object store, both exactly-once: a router pool serving
 * {@code classify}, {@code properties} and {@code annotate} consumes the shared jobs topic (the
 * producer's {@code image-jobs}) and routes {@code text} and {@code faces} jobs to the {@code text}
 * pool's own topic, where a worker serving only those two answers them. Then the text pool is
 * stopped, jobs for it are sent, and it is started again: nothing is lost or answered twice. A third
 * test measures what routing adds to a job (the hop from the shared topic to the pool's).
 */
public class PoolsIT {

    static final Duration WAIT = Duration.ofSeconds(240);

    static WorkerTopics topics;
    static String poolTopic;
    static EventLog committed;
    static WorkerProcess router;
    static WorkerProcess textPool;
    static Map<String, String> textEnv;
    static String textImage;
    static String uploads;
    static String scanKey;
    static String digit;
    static final List<WorkerProcess> started = new ArrayList<>();

    @BeforeAll
    static void startPools() throws Exception {
        LocalStack stack = LocalStack.shared();
        topics = WorkerTopics.create(stack, "pools", 2);
        poolTopic = topics.jobs() + "-text";
        stack.createTopics(List.of(poolTopic), 2);
        committed = new EventLog(stack.bootstrap(), List.of(topics.results(), topics.deadLetter(), poolTopic), true);
        textImage = upload(stack, "pools/" + topics.jobs() + "/words.png", Images.encode(words("POOLS ROUTE"), "png"));
        digit = upload(stack, "pools/" + topics.jobs() + "/7.png", Digits.png(7));
        // Bucket notifications: scans become text jobs, which the router sends to the text pool like any text job.
        uploads = topics.jobs() + "-uploads";
        stack.createTopics(List.of(uploads), 1);
        scanKey = "pools/" + topics.jobs() + "/scans/page.png";
        upload(stack, scanKey, Images.encode(words("POOLS SCAN"), "png"));

        Map<String, String> routerEnv = new HashMap<>(topics.env(Map.of(
                "IMAGE_WORKER_DELIVERY", "exactly-once",
                "IMAGE_WORKER_TASKS", "classify,properties,annotate",
                "IMAGE_WORKER_ROUTING_POOLS_TEXT_TOPIC", poolTopic,
                "IMAGE_WORKER_ROUTING_POOLS_TEXT_TASKS", "text,faces",
                "IMAGE_WORKER_NOTIFICATIONS_TOPIC", uploads,
                "IMAGE_WORKER_NOTIFICATIONS_RULES_SCANS_BUCKET", LocalStack.INPUT_BUCKET,
                "IMAGE_WORKER_NOTIFICATIONS_RULES_SCANS_PREFIX", "pools/" + topics.jobs() + "/scans/",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_SCANS_TASK", "text")));
        routerEnv.put("IMAGE_WORKER_MODELS_PRELOAD", null); // as the chart: every served task
        textEnv = new HashMap<>(topics.env(Map.of(
                "IMAGE_WORKER_DELIVERY", "exactly-once",
                "IMAGE_WORKER_TASKS", "text,faces",
                "IMAGE_WORKER_TOPICS_JOBS", poolTopic,
                "IMAGE_WORKER_CONSUMER_GROUP_ID", poolTopic + "-group")));
        textEnv.put("IMAGE_WORKER_MODELS_PRELOAD", null);
        router = start(stack, topics.name("router"), routerEnv);
        textPool = start(stack, topics.name("text"), textEnv);
    }

    @AfterAll
    static void stopPools() throws Exception {
        for (WorkerProcess w : started) {
            w.close();
        }
        if (committed != null) {
            committed.close();
        }
    }

    static WorkerProcess start(LocalStack stack, String id, Map<String, String> env) throws Exception {
        WorkerProcess w = WorkerProcess.launch(stack, id, env);
        started.add(w);
        w.awaitReady(Duration.ofSeconds(300));
        return w;
    }

    @Test
    void eachPoolLoadsOnlyItsTasksModelsAndEveryJobSentToTheSharedTopicIsAnsweredByThePoolThatServesIt()
            throws Exception {
        String routerModels = models(router);
        String textModels = models(textPool);
        assertThat(routerModels).contains("mnist-cnn-bn").doesNotContain("ppocr").doesNotContain("blazeface");
        assertThat(textModels).contains("ppocr-v4-det").contains("blazeface").doesNotContain("mnist");

        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("classify-" + run, "{\"task\":\"classify\",\"options\":{\"topK\":1},\"inputs\":[{\"uri\":\"" + digit + "\"}]");
        jobs.put("properties-" + run, "{\"task\":\"properties\",\"inputs\":[{\"uri\":\"" + digit + "\"}]");
        jobs.put("text-" + run, "{\"task\":\"text\",\"priority\":5,\"deadline\":\"2099-01-01T00:00:00Z\","
                + "\"inputs\":[{\"uri\":\"" + textImage + "\"}]");
        jobs.put("faces-" + run, "{\"task\":\"faces\",\"inputs\":[{\"uri\":\"" + digit + "\"}]");
        jobs.put("annotate-" + run, "{\"features\":[{\"type\":\"LABEL_DETECTION\"},{\"type\":\"IMAGE_PROPERTIES\"}],"
                + "\"inputs\":[{\"uri\":\"" + digit + "\"}]");
        jobs.put("mixed-" + run, "{\"features\":[{\"type\":\"LABEL_DETECTION\"},{\"type\":\"TEXT_DETECTION\"}],"
                + "\"inputs\":[{\"uri\":\"" + textImage + "\"}]");
        jobs.put("safe-" + run, "{\"task\":\"safe-search\",\"inputs\":[{\"uri\":\"" + digit + "\"}]");
        Map<String, RecordMetadata> sent = new HashMap<>();
        Map<String, byte[]> values = new HashMap<>();
        for (Map.Entry<String, String> j : jobs.entrySet()) {
            byte[] value = ("{\"jobId\":\"" + j.getKey() + "\"," + j.getValue().substring(1) + "}").getBytes(StandardCharsets.UTF_8);
            values.put(j.getKey(), value);
            sent.put(j.getKey(), committed.produce(topics.jobs(), j.getKey(), value,
                    List.of(new RecordHeader("x-submitter", "pools-it".getBytes(StandardCharsets.UTF_8)))));
        }
        // And one produced straight to the text pool's topic for a task it does not serve: no route there.
        String stray = "stray-" + run;
        committed.produce(poolTopic, stray, "{\"jobId\":\"" + stray + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\""
                + digit + "\"}]}");

        // And one that says it was routed already (a router's copy produced back to the shared topic): never routed again.
        String looped = "looped-" + run;
        committed.produce(topics.jobs(), looped, ("{\"jobId\":\"" + looped + "\",\"task\":\"text\",\"inputs\":[{\"uri\":\""
                + textImage + "\"}]}").getBytes(StandardCharsets.UTF_8), List.of(new RecordHeader(TaskRoutes.ROUTED_FROM,
                "elsewhere/0@1".getBytes(StandardCharsets.UTF_8))));
        // And a bucket notification of a scan, which the rule makes a text job.
        committed.produce(uploads, "images/" + scanKey, ("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
                + "\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"2026-12-07T00:00:00.000Z\",\"s3\":{\"bucket\":{\"name\":\""
                + LocalStack.INPUT_BUCKET + "\"},\"object\":{\"key\":\"" + scanKey + "\",\"size\":1000,\"eTag\":\"" + run
                + "\",\"sequencer\":\"01\"}}}]}").getBytes(StandardCharsets.UTF_8));

        Map<String, JsonNode> results = new HashMap<>();
        for (String id : jobs.keySet()) {
            results.put(id, committed.result(topics.results(), id, WAIT));
        }
        results.put(stray, committed.result(topics.results(), stray, WAIT));
        results.put(looped, committed.result(topics.results(), looped, WAIT));

        for (String id : List.of("classify-" + run, "properties-" + run, "annotate-" + run)) {
            assertThat(results.get(id).path("status").asText()).as(id + ": " + results.get(id)).isEqualTo("succeeded");
            assertThat(results.get(id).path("workerId").asText()).as(id).isEqualTo(router.id());
        }
        assertThat(results.get("classify-" + run).path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(7)));
        for (String id : List.of("text-" + run, "faces-" + run)) {
            assertThat(results.get(id).path("status").asText()).as(id + ": " + results.get(id)).isEqualTo("succeeded");
            assertThat(results.get(id).path("workerId").asText()).as(id).isEqualTo(textPool.id());
        }
        assertThat(results.get("text-" + run).path("items").get(0).path("text").path("fullText").asText())
                .containsIgnoringCase("POOLS");
        assertThat(results.get("faces-" + run).path("items").get(0).path("faces")).as("no face in a digit").isEmpty();

        // The routed records: the job as produced, its key and headers, plus where it came from.
        for (String id : List.of("text-" + run, "faces-" + run)) {
            ConsumerRecord<byte[], byte[]> routed = committed.await(poolTopic, r -> id.equals(EventLog.key(r)), WAIT);
            assertThat(routed.value()).as("value byte for byte (deadline and priority in it)").isEqualTo(values.get(id));
            assertThat(EventLog.header(routed, "x-submitter")).isEqualTo("pools-it");
            RecordMetadata from = sent.get(id);
            assertThat(EventLog.header(routed, TaskRoutes.ROUTED_FROM))
                    .isEqualTo(from.topic() + "/" + from.partition() + "@" + from.offset());
            assertThat(EventLog.header(routed, TaskRoutes.ROUTED_TO)).isEqualTo("text");
        }

        // Nobody serves these: dead-lettered with the reason, the submitter told.
        for (String id : List.of("mixed-" + run, "safe-" + run, stray, looped)) {
            assertThat(results.get(id).path("status").asText()).as(id).isEqualTo("rejected");
            ConsumerRecord<byte[], byte[]> dead = committed.await(topics.deadLetter(),
                    r -> id.equals(EventLog.header(r, "dlq-job-id")), WAIT);
            assertThat(EventLog.header(dead, "dlq-reason-code")).as(id).isEqualTo("not-served");
        }
        assertThat(EventLog.header(deadLetter("mixed-" + run), "dlq-reason"))
                .contains("needs the tasks [annotate, classify, text] in one worker").contains("text [faces, text]");
        assertThat(EventLog.header(deadLetter(stray), "dlq-reason")).contains("task 'classify' is not served")
                .contains("no pool is configured");
        assertThat(EventLog.header(deadLetter(stray), "dlq-worker-id")).isEqualTo(textPool.id());
        assertThat(EventLog.header(deadLetter(looped), "dlq-reason")).contains("routed here from elsewhere/0@1")
                .contains("not routed again");

        JsonNode scan = EventLog.json(committed.await(topics.results(),
                r -> scanKey.equals(EventLog.json(r).path("metadata").path("s3.key").asText()), WAIT));
        assertThat(scan.path("status").asText()).as(scan.toString()).isEqualTo("succeeded");
        assertThat(scan.path("workerId").asText()).as("a notification's text job runs in the text pool").isEqualTo(textPool.id());
        assertThat(scan.path("metadata").path("notification.rule").asText()).isEqualTo("scans");
        assertThat(scan.path("items").get(0).path("text").path("fullText").asText()).containsIgnoringCase("SCAN");
        ConsumerRecord<byte[], byte[]> routedScan = committed.await(poolTopic,
                r -> scan.path("jobId").asText().equals(EventLog.key(r)), WAIT);
        assertThat(EventLog.header(routedScan, TaskRoutes.ROUTED_FROM)).startsWith(uploads + "/0@");

        System.out.printf("POOLS resident memory after the jobs: router (classify, properties, annotate) %d MiB (peak %d),"
                + " text pool (text, faces) %d MiB (peak %d)%n", router.rssBytes() >> 20, router.peakRssBytes() >> 20,
                textPool.rssBytes() >> 20, textPool.peakRssBytes() >> 20);

        // Exactly-once end to end: one committed answer per job, routing included.
        for (String id : jobs.keySet()) {
            assertThat(committed.on(topics.results()).stream().filter(r -> id.equals(EventLog.key(r))).count())
                    .as("committed results of " + id).isEqualTo(1);
        }
        assertThat(committed.on(poolTopic).stream().filter(r -> EventLog.key(r).endsWith(run)).count())
                .as("routed records (text, faces) and the stray one").isEqualTo(3);
    }

    @Test
    void aPoolStoppedAndStartedAgainLosesNothingSentWhileItWasDown() throws Exception {
        assertThat(textPool.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isNotEqualTo(-1);
        assertThat(textPool.log()).contains("worker stopped");
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = (i % 2 == 0 ? "down-text-" : "down-faces-") + i + "-" + run;
            ids.add(id);
            committed.produce(topics.jobs(), id, "{\"jobId\":\"" + id + "\",\"task\":\"" + (i % 2 == 0 ? "text" : "faces")
                    + "\",\"inputs\":[{\"uri\":\"" + (i % 2 == 0 ? textImage : digit) + "\"}]}");
        }
        for (String id : ids) {
            committed.await(poolTopic, r -> id.equals(EventLog.key(r)), WAIT); // routed while the pool is down
        }
        assertThat(committed.on(topics.results()).stream().filter(r -> EventLog.key(r).endsWith(run))).as(
                "nothing answered while the pool is down").isEmpty();

        textPool = start(LocalStack.shared(), textPool.id(), textEnv);
        for (String id : ids) {
            JsonNode result = committed.result(topics.results(), id, WAIT);
            assertThat(result.path("status").asText()).as(id + ": " + result).isEqualTo("succeeded");
            assertThat(result.path("workerId").asText()).isEqualTo(textPool.id());
        }
        for (String id : ids) {
            assertThat(committed.on(topics.results()).stream().filter(r -> id.equals(EventLog.key(r))).count())
                    .as("committed results of " + id).isEqualTo(1);
        }
    }

    /**
     * What routing adds to a job: the time from the job's append to the shared topic to its append
     * to the pool's topic (both broker timestamps: the router's consume, route and produce), for
     * 40 jobs one after another through a router in each delivery mode (exactly-once also with a
     * shorter commit interval: it forwards at the commit). The router serves only
     * {@code properties} (no model); nobody consumes the pool's topic, so only the hop is timed.
     */
    @Test
    void whatRoutingAddsToAJob() throws Exception {
        LocalStack stack = LocalStack.shared();
        for (String variant : List.of("at-least-once", "exactly-once", "exactly-once 200ms")) {
            String delivery = variant.split(" ")[0];
            String commitInterval = variant.contains(" ") ? variant.split(" ")[1] : "1s";
            WorkerTopics t = WorkerTopics.create(stack, "route-cost", 1);
            String pool = t.jobs() + "-classify";
            stack.createTopics(List.of(pool), 1);
            Map<String, String> env = new HashMap<>(t.env(Map.of("IMAGE_WORKER_DELIVERY", delivery,
                    "IMAGE_WORKER_CONSUMER_COMMIT_INTERVAL", commitInterval,
                    "IMAGE_WORKER_TASKS", "properties",
                    "IMAGE_WORKER_ROUTING_POOLS_CLASSIFY_TOPIC", pool,
                    "IMAGE_WORKER_ROUTING_POOLS_CLASSIFY_TASKS", "classify")));
            env.put("IMAGE_WORKER_MODELS_PRELOAD", null);
            try (EventLog log = new EventLog(stack.bootstrap(), List.of(pool), true)) {
                start(stack, t.name("cost"), env);
                long[] hops = new long[40];
                for (int i = 0; i < hops.length; i++) {
                    String id = "cost-" + i + "-" + t.jobs();
                    RecordMetadata in = log.produce(t.jobs(), id, ("{\"jobId\":\"" + id + "\",\"task\":\"classify\","
                            + "\"inputs\":[{\"uri\":\"" + digit + "\"}]}").getBytes(StandardCharsets.UTF_8), List.of());
                    ConsumerRecord<byte[], byte[]> out = log.await(pool, r -> id.equals(EventLog.key(r)), WAIT);
                    hops[i] = out.timestamp() - in.timestamp();
                }
                Arrays.sort(hops);
                System.out.printf("ROUTING %s, commit-interval %s: hop from the shared topic to the pool's, %d jobs one at a"
                        + " time: p50 %d ms, p95 %d ms, max %d ms%n", delivery, commitInterval, hops.length, hops[hops.length / 2],
                        hops[(int) Math.ceil(hops.length * 0.95) - 1], hops[hops.length - 1]);
                assertThat(hops[0]).as("the routed record is appended after the original").isGreaterThanOrEqualTo(0);
                // exactly-once stages the forward until the next offset commit (commit-interval)
                assertThat(hops[hops.length / 2]).as("median hop, ms").isLessThan(variant.equals("exactly-once") ? 3000 : 1000);
            }
        }
    }

    static ConsumerRecord<byte[], byte[]> deadLetter(String id) {
        return committed.await(topics.deadLetter(), r -> id.equals(EventLog.header(r, "dlq-job-id")), WAIT);
    }

    /** The model versions a worker's readiness says it serves. */
    static String models(WorkerProcess w) throws Exception {
        return EventLog.JSON.readTree(w.get("/q/health/ready")).toString();
    }

    static String upload(LocalStack stack, String key, byte[] body) throws Exception {
        S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, key);
        stack.objectStore().write(loc, body, "image/png");
        return loc.toString();
    }

    /** {@code text} in large black letters on white, in the font the application ships. */
    public static BufferedImage words(String text) throws Exception {
        BufferedImage img = new BufferedImage(640, 160, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(Fonts.labelFont().deriveFont(64f));
        g.drawString(text, 30, 105);
        g.dispose();
        return img;
    }
}
