package io.imageworker.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged worker ({@code quarkus-run.jar serve}) as a separate process, for the benchmark and
 * the process-level tests: start, wait until ready, read its memory, stop or kill it.
 */
public final class WorkerLauncher implements AutoCloseable {

    private final String id;
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final long startedNanos;

    private WorkerLauncher(String id, Process process, int httpPort, Path log, long startedNanos) {
        this.id = id;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts {@code jar serve} with the current environment plus {@code env}, HTTP on a free port of
     * 127.0.0.1, output appended to {@code logDir/<id>.log}. Does not wait.
     */
    public static WorkerLauncher launch(Path jar, String id, Map<String, String> env, Path logDir) throws IOException {
        return launch(jar, id, env, logDir, List.of("-Xmx1g"));
    }

    /**
     * As {@link #launch(Path, String, Map, Path)}, with {@code jvmArgs} on the JVM's command line
     * instead of {@code -Xmx1g} (a pod's flags: {@code -XX:MaxRAM} and the image's heap share).
     */
    public static WorkerLauncher launch(Path jar, String id, Map<String, String> env, Path logDir, List<String> jvmArgs)
            throws IOException {
        if (!Files.exists(jar)) {
            throw new IOException("no application at " + jar + " (package it first)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(id + ".log");
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "serve"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> e = pb.environment();
        e.put("IMAGE_WORKER_ID", id);
        e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        e.putIfAbsent("DJL_OFFLINE", "true");
        e.putIfAbsent("MXNET_ENGINE_TYPE", "NaiveEngine");
        e.putAll(env);
        long t0 = System.nanoTime();
        return new WorkerLauncher(id, pb.start(), port, log, t0);
    }

    /**
     * The worker's id, as given to {@link #launch} (its {@code IMAGE_WORKER_ID} and log file name).
     */
    public String id() {
        return id;
    }

    /** The operating system's process id of the worker. */
    public long pid() {
        return process.pid();
    }

    /** True while the worker process has not exited. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers 200; returns seconds since launch. */
    public double awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("worker " + id + " exited with " + process.exitValue() + ":\n" + tail(40));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("worker " + id + " not ready within " + timeout + ":\n" + tail(40));
    }

    /** GET of a path on the worker's HTTP port. */
    public String get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The worker's resident set size in bytes ({@link #rssBytes(long)}). */
    public long rssBytes() throws IOException {
        return rssBytes(process.pid());
    }

    /**
     * Resident set size of process {@code pid} in bytes, from {@code /proc/<pid>/status} (Linux).
     *
     * @throws IOException when the file cannot be read or has no {@code VmRSS} line
     */
    public static long rssBytes(long pid) throws IOException {
        return io.imageworker.batching.NativeMemory.rssBytes(pid);
    }

    /** The worker's peak resident set size ({@code VmHWM}) in bytes so far. */
    public long peakRssBytes() throws IOException {
        return io.imageworker.batching.NativeMemory.peakRssBytes(process.pid());
    }

    /** SIGKILL. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; the exit code, or -1 if it did not exit within {@code timeout}. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * The worker's whole log so far (stdout and stderr), {@code <logDir>/<id>.log}.
     *
     * @throws IOException when the log cannot be read
     */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * The last {@code lines} lines of the worker's log, joined with newlines; a note instead of
     * throwing when it cannot be read (for error messages).
     */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            if (terminate(Duration.ofSeconds(30)) == -1) {
                kill9();
            }
        }
    }
}
