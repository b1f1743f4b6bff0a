package io.imageworker.bench;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Images;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker fits the pod a default {@code helm install} gives it: started with the JVM
 * flags of the image ({@code quarkus.jib.jvm-additional-arguments}) under {@code -XX:MaxRAM} equal to
 * the chart's memory limit (what the JVM reads from a pod's cgroup), with the chart's engine
 * environment and every default model preloaded, its peak resident set ({@code VmHWM}) after
 * warm-up and after a mixed workload (text on a 4000x3000 photo, faces on group photos,
 * safe-search, classify of digits and photos, objects (loaded on demand), segment) stays under that limit. Prints each model's native footprint.
 * With {@code -Dpod.soak.minutes=N} the workload repeats for N minutes and RSS may grow at most 5%
 * (median of the last quarter of the rounds against the first quarter, after the first round) ({@code ./mvnw -B failsafe:integration-test failsafe:verify -Dit.test=PodMemoryIT
 * -Dpod.soak.minutes=10}).
 */
class PodMemoryIT {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyDefaultModelFitsThePodsMemoryLimitThroughAMixedWorkload() throws Exception {
        Path root = Repo.root();
        JsonNode values = YAML.readTree(root.resolve("helm/image-worker/values.yaml").toFile());
        long limit = kubernetesBytes(values.path("resources").path("limits").path("memory").asText());
        String cpu = values.path("resources").path("limits").path("cpu").asText("2");
        List<String> jvm = new ArrayList<>(List.of("-XX:MaxRAM=" + limit));
        jvm.addAll(imageJvmArguments(root));

        LocalStack stack = LocalStack.shared();
        ObjectStore store = stack.objectStore();
        WorkerTopics topics = WorkerTopics.create(stack, "pod", 2);
        Map<String, String> env = new HashMap<>(topics.env(Map.of()));
        env.put("IMAGE_WORKER_MODELS_PRELOAD", null); // as the chart: unset, every task with a default model
        env.put("MXNET_ENGINE_TYPE", values.path("inference").path("mxnetEngineType").asText("NaiveEngine"));
        env.put("OMP_NUM_THREADS", Integer.toString(Math.max(1, (int) Double.parseDouble(cpu.replace("m", "")))));

        String t = topics.jobs();
        List<String> photos = new ArrayList<>();
        for (String f : List.of("faceapi-sample5.jpg", "faceapi-sample6.jpg", "faceapi-sample1.jpg")) {
            photos.add(put(store, t + "/" + f, Images.resource("/datasets/faces/images/" + f)));
        }
        String big = put(store, t + "/receipt-4000x3000.jpg", Images.encode(bigReceipt(), "jpg"));
        List<String> digits = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            digits.add(put(store, t + "/d" + i + ".png", Digits.png(i)));
        }

        try (EventLog events = new EventLog(stack.bootstrap(), List.of(topics.results()));
                WorkerProcess w = WorkerProcess.launch(stack, "pod-" + t, env, jvm)) {
            w.awaitReady(Duration.ofSeconds(300));
            long atReady = w.peakRssBytes();
            // -Dpod.soak.minutes=10: rounds until then, RSS read after each; the growth after the
            // first round (the workload's own warm-up) is bounded at 5%
            long soakNanos = Duration.ofMinutes(Long.getLong("pod.soak.minutes", 0)).toNanos();
            long t0 = System.nanoTime();
            List<Long> rss = new ArrayList<>();
            for (int round = 0; round < 2 || System.nanoTime() - t0 < soakNanos; round++) {
                List<String> jobs = new ArrayList<>();
                jobs.add(send(events, topics, "text", List.of(big, photos.get(0))));
                jobs.add(send(events, topics, "faces", photos));
                jobs.add(send(events, topics, "safe-search", photos));
                // photos among the digits: classify answers them with COCO labels, which loads the objects model on demand
                List<String> mixed = new ArrayList<>(digits);
                mixed.addAll(photos);
                jobs.add(send(events, topics, "classify", mixed));
                jobs.add(send(events, topics, "objects", photos));
                jobs.add(send(events, topics, "segment", digits.subList(0, 8)));
                for (String id : jobs) {
                    JsonNode result = events.result(topics.results(), id, Duration.ofSeconds(300));
                    assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
                }
                rss.add(w.rssBytes());
            }
            long peak = w.peakRssBytes();
            // read after the workload, so that the models loaded on demand (objects) are in it
            Map<String, Long> footprints = Profile.nativeFootprints(w.get("/q/metrics"));
            StringBuilder table = new StringBuilder(String.format("POD MEMORY limit %d MiB, JVM %s%n", limit >> 20, jvm));
            table.append(String.format("  peak RSS at ready %d MiB, after the workload %d MiB (%.0f%% of the limit)%n",
                    atReady >> 20, peak >> 20, 100.0 * peak / limit));
            footprints.forEach((m, b) -> table.append(String.format("  %-28s native %4d MiB%n", m, b >> 20)));
            table.append(String.format("  RSS after each round, MiB: %s%n", rss.stream().map(b -> String.valueOf(b >> 20)).toList()));
            System.out.print(table);
            assertThat(footprints).as("a native footprint per served model").isNotEmpty();
            assertThat(peak).as(table.toString()).isLessThan(limit);
            if (soakNanos > 0) {
                // RSS moves by up to 10% from one round to the next as G1 grows and shrinks the young
                // generation: a leak shows as the last quarter's median above the first quarter's
                // (after the first round, the workload's own warm-up)
                int q = Math.max(1, (rss.size() - 1) / 4);
                double first = median(rss.subList(1, 1 + q));
                double last = median(rss.subList(rss.size() - q, rss.size()));
                assertThat((last - first) / first).as("RSS growth, median of the last quarter of %d rounds against the first: %s",
                        rss.size(), table).isLessThan(0.05);
            }
        }
    }

    static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static String send(EventLog events, WorkerTopics topics, String task, List<String> uris) {
        String id = JobDriver.jobId("pod-" + task);
        StringBuilder e = new StringBuilder("{\"jobId\":\"" + id + "\",\"task\":\"" + task + "\",\"inputs\":[");
        for (int i = 0; i < uris.size(); i++) {
            e.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(uris.get(i)).append("\"}");
        }
        events.produce(topics.jobs(), id, e.append("]}").toString());
        return id;
    }

    /** The receipt drawn at 6x on a 4000x3000 page: a phone photo of a document. */
    static BufferedImage bigReceipt() {
        BufferedImage small = Images.decode(Images.resource("/text/receipt.png"));
        BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 4000, 3000);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(small, 400, 300, small.getWidth() * 6, small.getHeight() * 6, null);
        g.dispose();
        return big;
    }

    /** The image's JVM arguments, as {@code application.properties} gives them to Jib. */
    static List<String> imageJvmArguments(Path root) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(root.resolve("worker/src/main/resources/application.properties"))) {
            p.load(in);
        }
        return Arrays.stream(p.getProperty("quarkus.jib.jvm-additional-arguments", "").split(","))
                .map(String::trim).filter(a -> !a.isEmpty() && !a.startsWith("-Djava.io.tmpdir")).toList();
    }

    /** A Kubernetes quantity ({@code 3Gi}, {@code 2048Mi}, {@code 3G}) in bytes. */
    static long kubernetesBytes(String quantity) {
        Matcher m = Pattern.compile("([0-9.]+)([KMGT]i?)?").matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: " + quantity);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        int power = unit.isEmpty() ? 0 : "KMGT".indexOf(unit.charAt(0)) + 1;
        double base = unit.endsWith("i") ? 1024 : 1000;
        return (long) (n * Math.pow(base, power));
    }

    static String put(ObjectStore store, String key, byte[] bytes) throws Exception {
        S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, key);
        store.write(loc, bytes, "application/octet-stream");
        return loc.toString();
    }
}
