package io.imageworker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 2. Start-up: process start to ready, the default models loaded and warm, on a first start
 * (every model measures its batch size and threads) and on a restart that reuses the choices
 * the first kept; peak RSS at ready for both, and each model's native footprint.
 */
final class StartupMeasure extends Measure {

    StartupMeasure(BenchHarness harness) {
        super(harness);
    }

    /** Runs this measure on {@code shared}, adding its rows to the table. */
    void run(BenchSetup shared) throws Exception {
        String workerDevice = shared.workerDevice();
        List<Double> first = new ArrayList<>();
        List<Double> again = new ArrayList<>();
        long peakFirst = 0;
        long peakAgain = 0;
        Map<String, Long> footprints = Map.of();
        for (int r = 0; r < repeats; r++) {
            Path choices = Files.createTempDirectory("bench-warm-up-choices");
            Map<String, String> env = Map.of("IMAGE_WORKER_INFERENCE_DEVICE", workerDevice,
                    "IMAGE_WORKER_MODELS_PRELOAD", String.join(",", served.preload()),
                    "IMAGE_WORKER_BATCHING_CHOICES_DIR", choices.toString());
            try (WorkerLauncher w = worker("startup-" + r, env, topics("startup-" + r))) {
                first.add(w.awaitReady(Duration.ofMinutes(5)));
                peakFirst = Math.max(peakFirst, w.peakRssBytes());
                footprints = Profile.nativeFootprints(w.get("/q/metrics"));
            }
            try (WorkerLauncher w = worker("restart-" + r, env, topics("restart-" + r))) {
                again.add(w.awaitReady(Duration.ofMinutes(5)));
                peakAgain = Math.max(peakAgain, w.peakRssBytes());
            }
            try (var files = Files.walk(choices)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        String models = "default models of " + String.join(", ", served.preload());
        row(STARTUP, "start-up", "first start: process start to /q/health/ready (" + models
                + " loaded, batch size and threads measured at warm-up)", fmt1(Stats.median(first)) + " s", "");
        row(STARTUP, "start-up", "restart: the same, reusing the warm-up choices the first start kept",
                fmt1(Stats.median(again)) + " s", String.format("%.2fx the first start", Stats.median(again) / Stats.median(first)));
        row(STARTUP, "memory", "peak RSS (VmHWM) at ready, first start / restart", (peakFirst >> 20) + " MiB / "
                + (peakAgain >> 20) + " MiB", "");
        footprints.forEach((m, b) -> row(STARTUP, "memory", "native footprint of " + m + " (its warm-up's growth)",
                (b >> 20) + " MiB", ""));
        phase("start-up");
    }
}
