package io.imageworker.training.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs an external program with a time limit and collects its output (both streams drained while it runs). */
final class Processes {

    private Processes() {}

    /**
     * What a finished process left.
     *
     * @param exitCode its exit status
     * @param stdout standard output, UTF-8
     * @param stderr standard error, UTF-8
     */
    record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Runs {@code command} and waits for it.
     *
     * @throws IOException when it cannot start, or runs past {@code timeout} (it is then killed)
     */
    static Result run(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " ran past " + timeout.toSeconds() + " s and was killed");
            }
            return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        } catch (ExecutionException e) {
            throw new IOException("reading the output of " + command.get(0), e.getCause());
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
