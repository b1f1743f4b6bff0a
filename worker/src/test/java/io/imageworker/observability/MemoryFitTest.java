package io.imageworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory limit is read from the cgroup files as a pod has them, and a set of models that cannot fit is named. */
class MemoryFitTest {

    @TempDir
    Path root;

    @Test
    void theLimitComesFromCgroupV2OrV1AndNoLimitReadsAsNone() throws Exception {
        assertThat(MemoryFit.containerLimit(root)).isEmpty();
        Files.writeString(root.resolve("memory.max"), "3221225472\n");
        assertThat(MemoryFit.containerLimit(root)).isEqualTo(OptionalLong.of(3L << 30));
        Files.writeString(root.resolve("memory.max"), "max\n");
        assertThat(MemoryFit.containerLimit(root)).isEmpty();
        Files.delete(root.resolve("memory.max"));
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "2147483648\n");
        assertThat(MemoryFit.containerLimit(root)).isEqualTo(OptionalLong.of(2L << 30));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
        assertThat(MemoryFit.containerLimit(root)).as("v1's unlimited").isEmpty();
    }

    @Test
    void budgetsThatPassTheLimitAreSaidBeforeLoading() {
        long mib = 1 << 20;
        // 1 GiB heap + 300 MiB + 11 x 128 MiB = 2,732 MiB
        assertThat(MemoryFit.beforeLoading(3072 * mib, 1024 * mib, 11, 128 * mib)).isEmpty();
        assertThat(MemoryFit.beforeLoading(2048 * mib, 1024 * mib, 11, 128 * mib)).get().asString()
                .contains("2048 MiB", "11 preloaded tasks", "2732 MiB");
        assertThat(MemoryFit.beforeLoading(512 * mib, 1024 * mib, 11, 0)).as("no budget, nothing to add up").isEmpty();
    }

    @Test
    void atReadyTheModelsAreNamedLargestFirstWhenTheyDoNotFit() {
        long mib = 1 << 20;
        Map<String, Long> footprints = Map.of("ppocr-v4-det:1", 450 * mib, "mnist-cnn-bn:1", 82 * mib);
        assertThat(MemoryFit.atReady(3072 * mib, 1800 * mib, 1075 * mib, 200 * mib, footprints)).isEmpty();
        assertThat(MemoryFit.atReady(2048 * mib, 1800 * mib, 1075 * mib, 200 * mib, footprints)).get().asString()
                .contains("2048 MiB", "resident 1800 MiB", "875 MiB more", "ppocr-v4-det:1 450 MiB, mnist-cnn-bn:1 82 MiB");
    }
}
