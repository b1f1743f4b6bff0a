package io.imageworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's profile readers: a JFR recording cut to a time window, and CPU time by process. */
class ProfileTest {

    private static volatile double sink;

    @Test
    void hotMethodsAndAreasComeFromTheWindowOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("burn.jfr");
        Instant from;
        Instant to;
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            from = Instant.now();
            burn(Duration.ofMillis(800));
            to = Instant.now();
            r.stop();
            r.dump(file);
        }
        assertThat(Files.size(file)).isPositive();

        List<String> hot = Profile.hotMethods(file, from, to, 5);
        assertThat(hot).isNotEmpty();
        assertThat(String.join("\n", hot)).contains(ProfileTest.class.getName() + ".burn");
        List<String> areas = Profile.byArea(file, from, to);
        assertThat(areas).isNotEmpty();
        double total = areas.stream().mapToDouble(ProfileTest::percent).sum();
        assertThat(total).isBetween(99.0, 101.0);

        // a window that ends before the recording began holds no samples
        assertThat(Profile.hotMethods(file, from.minusSeconds(60), from.minusSeconds(30), 5)).isEmpty();
        assertThat(Profile.byArea(file, from.minusSeconds(60), from.minusSeconds(30))).isEmpty();
    }

    @Test
    void cpuSharesCountThisProcessesTime() {
        CpuShares shares = CpuShares.start(ProcessHandle.current().pid(), null);
        burn(Duration.ofMillis(300));
        String line = shares.perImage(1);
        Matcher m = Pattern.compile("^worker ([0-9.]+) ms").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        // at least most of the 300 ms of CPU spent spinning on this thread (CPU clocks tick at 10 ms here)
        assertThat(Double.parseDouble(m.group(1))).as(line).isGreaterThan(150);
        assertThat(line).contains("bench (producer, consumer)").containsPattern("[0-9]+% of [0-9]+ cores busy");
    }

    @Test
    void theJvmsOwnMemoryCountsItsPoolsAndItsBuffers() {
        String metrics = """
                # HELP jvm_memory_committed_bytes The amount of memory in bytes that is committed for the JVM to use
                jvm_memory_committed_bytes{area="heap",id="G1 Eden Space"} 1000.0
                jvm_memory_committed_bytes{area="nonheap",id="CodeCache"} 200.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 999999.0
                jvm_buffer_memory_used_bytes{id="direct"} 30.0
                jvm_buffer_memory_used_bytes{id="mapped"} 4.0
                jvm_buffer_total_capacity_bytes{id="direct"} 88888.0
                """;
        assertThat(Profile.jvmCommitted(metrics)).isEqualTo(1234);
    }

    /** Spins until this thread has had {@code d} of CPU (not wall) time, however busy the machine is. */
    private static void burn(Duration d) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + d.toNanos();
        double x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(i + x);
            }
        }
        sink = x;
    }

    private static double percent(String line) {
        return Double.parseDouble(line.strip().substring(0, line.strip().indexOf('%')));
    }
}
