package io.imageworker.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged worker ({@code target/quarkus-app/quarkus-run.jar serve}) as a real process against
 * the test's {@link LocalStack}, so tests can kill it, stop it and start it again.
 */
public final class WorkerProcess implements AutoCloseable {

    private final String id;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private WorkerProcess(String id, Process process, int httpPort, Path log) {
        this.id = id;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts a worker and waits until it is ready.
     *
     * @param env settings on top of the stack's (IMAGE_WORKER_..., KAFKA_...)
     */
    public static WorkerProcess start(LocalStack stack, String id, Map<String, String> env) throws Exception {
        WorkerProcess w = launch(stack, id, env);
        w.awaitReady(Duration.ofSeconds(120));
        return w;
    }

    /** Starts a worker without waiting for it to be ready (it may die before it is). */
    public static WorkerProcess launch(LocalStack stack, String id, Map<String, String> env) throws Exception {
        Path root = LocalStack.projectRoot();
        Path jar = root.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first (" + jar + " is missing)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logs = Files.createDirectories(root.resolve("target/it-logs"));
        Path log = logs.resolve(id + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(javaBin(), "-Xmx1g", "-jar", jar.toString(), "serve"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> e = pb.environment();
        stack.config(); // sets the S3 credentials as system properties; the child gets them as env
        e.put("AWS_ACCESS_KEY_ID", LocalStack.ACCESS_KEY);
        e.put("AWS_SECRET_ACCESS_KEY", LocalStack.SECRET_KEY);
        e.put("AWS_REGION", "us-east-1");
        e.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrap());
        e.put("IMAGE_WORKER_STORAGE_ENDPOINT", stack.s3Endpoint());
        e.put("IMAGE_WORKER_STORAGE_PATH_STYLE", "true");
        e.put("IMAGE_WORKER_STORAGE_INPUT_BUCKETS", LocalStack.INPUT_BUCKET);
        e.put("IMAGE_WORKER_STORAGE_OUTPUT_URI", "s3://" + LocalStack.OUTPUT_BUCKET + "/jobs/");
        e.put("IMAGE_WORKER_ID", id);
        e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        e.put("DJL_OFFLINE", "true");
        e.put("MXNET_ENGINE_TYPE", "NaiveEngine");
        e.put("OMP_NUM_THREADS", "1");
        e.putAll(new HashMap<>(env));
        return new WorkerProcess(id, pb.start(), port, log);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String id() {
        return id;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until /q/health/ready answers 200. */
    public void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker " + id + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("worker " + id + " not ready within " + timeout + ":\n" + tail());
    }

    /** GET of a path on the worker's HTTP port (health, metrics). */
    public String get(String path) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** SIGKILL: no shutdown hook, no commit, nothing flushed. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits up to {@code timeout}; returns the exit code, or -1 if it did not exit. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Waits for the process to end by itself; returns its exit code or -1. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
