package io.imageworker.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** Where a worker's time went: stage sums from its Prometheus metrics, hot methods from a JFR recording. */
final class Profile {

    private static final Pattern SAMPLE = Pattern.compile("^(image_worker_[a-z_]+?)(?:\\{([^}]*)})? ([0-9.eE+-]+)$");

    /**
     * JVM option for a worker whose native memory is measured: the committed heap is made resident up
     * front, so heap pages first touched under load do not read as native growth in RSS.
     */
    public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    private Profile() {}

    /** Sums of every {@code image_worker_*} sample, labels ignored. */
    static Map<String, Double> scrape(String prometheusText) {
        Map<String, Double> out = new HashMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (m.matches()) {
                out.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
            }
        }
        return out;
    }

    /**
     * Bytes the JVM accounts for itself: committed to every memory pool (the heap and the non-heap
     * ones: JIT code cache, metaspace) plus its NIO buffers (direct and mapped). What RSS holds beyond
     * this is native memory (the engine's tensors, allocator arenas, thread stacks), where an NDArray
     * that is never closed shows. Neither the code cache, which grows while the JIT compiles under
     * load, nor direct buffers, which DJL's array copies use and the GC frees whenever it next runs,
     * blur it.
     */
    static long jvmCommitted(String prometheusText) {
        double sum = 0;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_committed_bytes{") || line.startsWith("jvm_buffer_memory_used_bytes{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    /**
     * Each served model's native footprint, {@code image_worker_model_native_bytes} by model id, from
     * a worker's Prometheus text (what its warm-up left held; see the worker's metrics).
     */
    public static Map<String, Long> nativeFootprints(String prometheusText) {
        Map<String, Long> out = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^image_worker_model_native_bytes\\{model=\"([^\"]+)\"[^}]*} ([0-9.E+-]+)$").matcher(prometheusText);
        while (m.find()) {
            out.put(m.group(1), (long) Double.parseDouble(m.group(2)));
        }
        return out;
    }

    /** Milliseconds per image spent in each stage between two scrapes (thread time; stages overlap). */
    static Map<String, Double> stages(Map<String, Double> before, Map<String, Double> after, int images) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("fetch", perImage(before, after, "image_worker_fetch_duration_seconds_sum", images));
        out.put("queue (per batch)", perImage(before, after, "image_worker_queue_delay_seconds_sum", images));
        out.put("model (per batch)", perImage(before, after, "image_worker_inference_duration_seconds_sum", images));
        return out;
    }

    private static double perImage(Map<String, Double> a, Map<String, Double> b, String key, int images) {
        return 1000 * (b.getOrDefault(key, 0.0) - a.getOrDefault(key, 0.0)) / images;
    }

    /**
     * The {@code n} methods most often on top of the stack in a JFR recording between {@code from}
     * and {@code to}, with their share of samples.
     */
    static List<String> hotMethods(Path recording, Instant from, Instant to, int n) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (List<RecordedFrame> frames : samples(recording, from, to)) {
            RecordedFrame top = frames.get(0);
            counts.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
        }
        return shares(counts, n);
    }

    /** Samples between {@code from} and {@code to} by package group (what part of the stack the time is in). */
    static List<String> byArea(Path recording, Instant from, Instant to) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (List<RecordedFrame> frames : samples(recording, from, to)) {
            String area = "other";
            for (RecordedFrame f : frames) {
                String t = f.getMethod().getType().getName();
                if (t.startsWith("io.imageworker.")) {
                    area = t.substring("io.imageworker.".length(), t.indexOf('.', "io.imageworker.".length()) > 0
                            ? t.indexOf('.', "io.imageworker.".length()) : t.length());
                    break;
                }
                if (t.startsWith("software.amazon.awssdk") || t.startsWith("org.apache.http")) {
                    area = "aws-sdk";
                    break;
                }
                if (t.startsWith("org.apache.kafka")) {
                    area = "kafka-client";
                    break;
                }
                if (t.startsWith("ai.djl")) {
                    area = "djl";
                    break;
                }
                if (t.startsWith("com.networknt")) {
                    area = "json-schema";
                    break;
                }
                if (t.startsWith("com.fasterxml")) {
                    area = "jackson";
                    break;
                }
                if (t.startsWith("javax.imageio") || t.startsWith("com.sun.imageio") || t.startsWith("sun.awt")
                        || t.startsWith("java.awt")) {
                    area = "imageio/awt";
                    break;
                }
            }
            counts.merge(area, 1, Integer::sum);
        }
        return shares(counts, Integer.MAX_VALUE);
    }

    /** The stacks of the CPU samples taken in the window. */
    private static List<List<RecordedFrame>> samples(Path recording, Instant from, Instant to) throws IOException {
        List<List<RecordedFrame>> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null
                    && !e.getStackTrace().getFrames().isEmpty()
                    && !e.getStartTime().isBefore(from) && !e.getStartTime().isAfter(to)) {
                out.add(e.getStackTrace().getFrames());
            }
        }
        return out;
    }

    private static List<String> shares(Map<String, Integer> counts, int n) {
        int all = Math.max(1, counts.values().stream().mapToInt(Integer::intValue).sum());
        return counts.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(n)
                .map(x -> String.format("%5.1f%%  %s", 100.0 * x.getValue() / all, x.getKey())).collect(Collectors.toList());
    }
}
