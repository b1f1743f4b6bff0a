package io.imageworker.testing;

import io.imageworker.bench.WorkerLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged worker as a real process against the test's {@link LocalStack}, so tests can kill
 * it, stop it and start it again (a {@link WorkerLauncher} with the stack's settings).
 */
public final class WorkerProcess implements AutoCloseable {

    private final WorkerLauncher process;

    private WorkerProcess(WorkerLauncher process) {
        this.process = process;
    }

    /** Starts a worker and waits until it is ready. */
    public static WorkerProcess start(LocalStack stack, String id, Map<String, String> env) throws Exception {
        WorkerProcess w = launch(stack, id, env);
        w.awaitReady(Duration.ofSeconds(120));
        return w;
    }

    /**
     * Starts a worker without waiting for it to be ready (it may die before it is). {@code env}
     * wins over the defaults here; a key mapped to null unsets it.
     */
    public static WorkerProcess launch(LocalStack stack, String id, Map<String, String> env) throws Exception {
        return launch(stack, id, env, List.of("-Xmx1g"));
    }

    /** As {@link #launch(LocalStack, String, Map)}, with {@code jvmArgs} in place of {@code -Xmx1g}. */
    public static WorkerProcess launch(LocalStack stack, String id, Map<String, String> env, List<String> jvmArgs)
            throws Exception {
        Path root = Repo.root();
        stack.config(); // sets the S3 credentials as system properties; the child gets them as env
        Map<String, String> e = new HashMap<>();
        e.put("AWS_ACCESS_KEY_ID", LocalStack.ACCESS_KEY);
        e.put("AWS_SECRET_ACCESS_KEY", LocalStack.SECRET_KEY);
        e.put("AWS_REGION", "us-east-1");
        e.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrap());
        e.put("IMAGE_WORKER_STORAGE_ENDPOINT", stack.s3Endpoint());
        e.put("IMAGE_WORKER_STORAGE_PATH_STYLE", "true");
        e.put("IMAGE_WORKER_STORAGE_INPUT_BUCKETS", LocalStack.INPUT_BUCKET);
        e.put("IMAGE_WORKER_STORAGE_OUTPUT_URI", "s3://" + LocalStack.OUTPUT_BUCKET + "/jobs/");
        e.put("OMP_NUM_THREADS", "1");
        e.put("IMAGE_WORKER_MODELS_PRELOAD", "classify"); // these tests run classify jobs; the others would only slow start
        // warm-up choices shared by this build's workers: the first start of a model measures, later ones reuse
        e.put("IMAGE_WORKER_BATCHING_CHOICES_DIR", root.resolve("tools/target/it-warm-up-choices").toString());
        e.putAll(env);
        e.values().removeIf(java.util.Objects::isNull); // a null in env unsets the variable
        return new WorkerProcess(WorkerLauncher.launch(root.resolve("worker/target/quarkus-app/quarkus-run.jar"), id, e,
                root.resolve("tools/target/it-logs"), jvmArgs));
    }

    public String id() {
        return process.id();
    }

    public boolean alive() {
        return process.alive();
    }

    /** Waits until ready; returns seconds since launch. */
    public double awaitReady(Duration timeout) throws Exception {
        return process.awaitReady(timeout);
    }

    public String get(String path) throws Exception {
        return process.get(path);
    }

    public void kill9() throws InterruptedException {
        process.kill9();
    }

    public int terminate(Duration timeout) throws InterruptedException {
        return process.terminate(timeout);
    }

    /** Resident set size in bytes. */
    public long peakRssBytes() throws IOException {
        return process.peakRssBytes();
    }

    public long rssBytes() throws IOException {
        return process.rssBytes();
    }

    public String log() throws IOException {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.alive()) {
            process.kill9();
        }
    }
}
