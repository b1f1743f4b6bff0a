package io.imageworker.bench;

import io.imageworker.config.WorkerConfig;
import io.imageworker.pipeline.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The machinery the bench's measures share: workers launched from the packaged app as separate
 * processes on fresh topics, jobs produced through the real broker and awaited, and the table the
 * measures fill, printed as rows come and in section order at the end.
 */
final class BenchHarness {

    /** A table row; rows print as measured and the table orders them by section. */
    private record Row(int section, String[] cells) {}

    /** This run's id, in topic and log names. */
    final String run = UUID.randomUUID().toString().substring(0, 6);
    /** Where the workers' logs (and JFR recordings) go. */
    final Path logs = Path.of("target", "bench-logs");
    final int repeats;
    final boolean quick;
    final WorkerConfig config;
    final Map<String, Object> kafka;
    final Tasks served;
    private final Path app;
    private final long began = System.nanoTime();
    private final List<Row> rows = new ArrayList<>();

    /**
     * @param app the packaged worker
     * @param kafka the broker's client properties
     * @param served the tasks the worker serves
     * @param repeats repeats per measure
     * @param quick small workloads
     */
    BenchHarness(Path app, Map<String, Object> kafka, WorkerConfig config, Tasks served, int repeats, boolean quick) {
        this.app = app;
        this.kafka = kafka;
        this.config = config;
        this.served = served;
        this.repeats = repeats;
        this.quick = quick;
    }

    /** Adds a row to {@code section} of the table, and prints it. */
    void row(int section, String measure, String workload, String result, String comparison) {
        rows.add(new Row(section, new String[] {measure, workload, result, comparison}));
        System.out.printf("%-18s %-80s %-16s %s%n", measure, workload, result, comparison);
    }

    /** Prints how long the bench has run, after each part (not in the table). */
    void phase(String done) {
        System.out.printf("  (%s done at %.1f min)%n", done, (System.nanoTime() - began) / 60e9);
    }

        /**
     * Adds the bench's duration, then prints the table, sorted by section, under the machine's
     * {@code line}, and writes it to {@code out} when given.
     *
     * @return the exit status
     */
    Integer table(String line, Path out) throws Exception {
        double minutes = (System.nanoTime() - began) / 60e9;
        row(Measure.DURATION, "duration", "this bench, from its start to this table (the stack's start and the build not included)",
                String.format("%.1f min", minutes), quick ? "--quick" : "goal < 10 min");
        rows.sort(Comparator.comparingInt(Row::section));
        StringBuilder table = new StringBuilder(line).append("\n\n| measure | workload | result | comparison |\n| --- | --- | --- | --- |\n");
        rows.forEach(r -> table.append("| ").append(String.join(" | ", r.cells())).append(" |\n"));
        System.out.println();
        System.out.print(table);
        if (out != null) {
            Files.writeString(out, table.toString());
        }
        return 0;
    }

    /** {@code jobs} jobs of all {@code inputs} (or, for generate, that many samples) produced at once. */
    JobDriver.Run batchJobs(JobDriver d, String task, List<String> inputs, int jobs, String options) throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int j = 0; j < jobs; j++) {
            String id = JobDriver.jobId(task);
            StringBuilder e = new StringBuilder("{\"jobId\":\"" + id + "\",\"task\":\"" + task + "\"");
            if (task.equals("generate")) {
                e.append(",\"options\":{\"count\":").append(inputs.size()).append(",\"seed\":").append(j).append('}');
            } else {
                e.append(",\"inputs\":[");
                for (int i = 0; i < inputs.size(); i++) {
                    e.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(inputs.get(i)).append("\"}");
                }
                e.append(']');
                if (options != null) {
                    e.append(",\"options\":").append(options);
                }
            }
            d.send(id, e.append('}').toString());
            ids.add(id);
        }
        d.flush();
        return d.await(ids, jobs * inputs.size(), t0, Duration.ofMinutes(10));
    }

    /** {@code n} single-image jobs, all at once ({@code rate} 0) or at {@code rate} per second. */
    JobDriver.Run singleJobs(JobDriver d, List<String> inputs, int n, double rate) throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int j = 0; j < n; j++) {
            if (rate > 0) {
                long wait = t0 + (long) (j * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            String id = JobDriver.jobId("single");
            d.send(id, "{\"jobId\":\"" + id + "\",\"task\":\"classify\",\"options\":" + Measure.TOP1 + ",\"inputs\":[{\"uri\":\""
                    + inputs.get(j % inputs.size()) + "\"}]}");
            ids.add(id);
        }
        d.flush();
        return d.await(ids, n, t0, Duration.ofMinutes(10));
    }

    /**
     * Launches the packaged worker as a process on {@code topics} (jobs, results, dead letters,
     * progress) with {@code env} over its defaults, and waits until it is ready.
     */
    WorkerLauncher worker(String name, Map<String, String> env, List<String> topics) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("IMAGE_WORKER_TOPICS_JOBS", topics.get(0));
        e.put("IMAGE_WORKER_TOPICS_RESULTS", topics.get(1));
        e.put("IMAGE_WORKER_TOPICS_DEAD_LETTER", topics.get(2));
        e.put("IMAGE_WORKER_TOPICS_PROGRESS", topics.get(3));
        e.put("IMAGE_WORKER_CONSUMER_GROUP_ID", topics.get(0) + "-group");
        e.putIfAbsent("IMAGE_WORKER_MODELS_PRELOAD", "classify"); // most scenarios run classify jobs only
        WorkerLauncher w = WorkerLauncher.launch(app.toAbsolutePath(), "bench-" + run + "-" + name, e, logs);
        w.awaitReady(Duration.ofMinutes(5));
        return w;
    }

    /** Fresh jobs, results, dead-letter and progress topics for one scenario. */
    List<String> topics(String scenario) throws Exception {
        String base = "bench-" + run + "-" + scenario;
        List<String> names = List.of(base + "-jobs", base + "-results", base + "-dlq", base + "-progress");
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, 3, (short) 1)).toList()).all().get();
        }
        return names;
    }
}
