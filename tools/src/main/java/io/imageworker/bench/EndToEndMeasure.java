package io.imageworker.bench;

import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * 3. One worker as deployed: memory over a long run, then the object store's GET rate and end to
 * end against the engine measured in the same minutes, with CPU by process and time by stage.
 */
final class EndToEndMeasure extends Measure {

    private final EngineMeasure engine;
    /** Images to push through for the memory measure; null: 100,000 (20,000 with --quick). */
    private final Integer memoryImages;
    /** Record the worker with JFR and print where its time went. */
    private final boolean profile;

    EndToEndMeasure(BenchHarness harness, EngineMeasure engine, Integer memoryImages, boolean profile) {
        super(harness);
        this.engine = engine;
        this.memoryImages = memoryImages;
        this.profile = profile;
    }

    /** Runs this measure on {@code shared}, adding its rows to the table. */
    void run(BenchSetup shared) throws Exception {
        ObjectStore store = shared.store();
        List<String> digits = shared.digits();
        int maxBatch = shared.maxBatch();
        double engineBest = shared.engineBest();
        int bigJobs = quick ? 4 : 8;
        int memory = memoryImages != null ? memoryImages : quick ? 20_000 : 100_000;
        // one worker as deployed (dynamic batching) for memory, then end to end: RSS is read after a warm-up
        // (the heap grows to its working size first) and after the long run; the end-to-end figures come
        // last, from a worker whose JIT has compiled the whole path, as a long-running worker's would be
        Map<String, String> dynamic = shared.deployed();
        List<String> t = topics("main");
        Map<String, String> mainEnv = new HashMap<>(dynamic);
        Path jfr = harness.logs.resolve("bench-" + harness.run + "-main.jfr").toAbsolutePath();
        if (profile) {
            mainEnv.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        Instant e2eFrom;
        Instant e2eTo;
        try (WorkerLauncher w = worker("main", mainEnv, t); JobDriver d = new JobDriver(kafka, t.get(0), t.get(1))) {
            int warm = 0;
            while (warm < Math.max(2048, memory / 10)) {
                batchJobs(d, "classify", digits, 8, TOP1);
                warm += 8 * 256;
            }
            long rss0 = w.rssBytes();
            long native0 = rss0 - Profile.jvmCommitted(w.get("/q/metrics"));
            // native memory read at every fifth of the run too: a leak climbs steadily, allocator arenas and
            // buffer pools that are still growing flatten out
            List<String> series = new ArrayList<>();
            int more = 0;
            int step = Math.max(1, memory / 5);
            while (more < memory) {
                batchJobs(d, "classify", digits, 16, TOP1);
                more += 16 * 256;
                if (more / step > series.size() && series.size() < 4) {
                    series.add(Long.toString((w.rssBytes() - Profile.jvmCommitted(w.get("/q/metrics"))) >> 20));
                }
            }
            long rss1 = w.rssBytes();
            long native1 = rss1 - Profile.jvmCommitted(w.get("/q/metrics"));
            series.add(0, Long.toString(native0 >> 20));
            series.add(Long.toString(native1 >> 20));
            // native memory apart: outside the JVM's pools is where NDArrays never closed would show
            row(MEMORY, "memory", String.format("worker RSS after a warm-up of %,d images, then after %,d more", warm, more),
                    (rss0 >> 20) + " MiB -> " + (rss1 >> 20) + " MiB",
                    String.format("%+.1f%% (goal < 5%%); native, outside the JVM's heap and code/class pools, %d -> %d MiB (%+.1f%%),"
                            + " by fifths of the run: %s MiB", 100.0 * (rss1 - rss0) / rss0, native0 >> 20, native1 >> 20,
                            100.0 * (native1 - native0) / native0, String.join(", ", series)));
            phase("memory");

            // the object store's limit, measured here where the S3 server is as warm as for the end-to-end runs:
            // fetching the same objects, nothing else (the worker idles meanwhile)
            double fetchRate = fetchOnly(store, digits, quick ? 2048 : 8192, config.storage().fetchConcurrency());
            row(ENGINE, "object store", "GET of 28x28 PNGs alone, " + config.storage().fetchConcurrency() + " in parallel",
                    fmt(fetchRate) + " img/s", "an upper bound for end to end on this stack");
            double getCpu = storageClient(shared);

            // the engine at the worker's max batch again, just before and after the end-to-end runs: this machine's
            // speed drifts over minutes (other tenants), so the ratio takes its engine figure from the same minutes
            List<EngineBench.Rate> engineNear = new ArrayList<>();
            engineNear.add(engine.measure(maxBatch, 1.0, 1));
            int served = 0;
            List<Double> rates = new ArrayList<>();
            Map<String, Double> before = Profile.scrape(w.get("/q/metrics"));
            CpuShares cpu = CpuShares.start(w.pid(), localStackDir());
            e2eFrom = Instant.now();
            for (int r = 0; r < repeats; r++) {
                rates.add(batchJobs(d, "classify", digits, bigJobs, TOP1).imagesPerSecond());
                served += bigJobs * 256;
            }
            e2eTo = Instant.now();
            String cpuLine = cpu.perImage(served);
            double workerCpu = cpu.msPerImage("worker", served);
            Map<String, Double> stages = Profile.stages(before, Profile.scrape(w.get("/q/metrics")), served);
            engineNear.add(engine.measure(maxBatch, 1.0, 1));
            double near = Stats.median(engineNear.stream().map(EngineBench.Rate::imagesPerSecond).toList());
            double modelCpu = Stats.median(engineNear.stream().map(EngineBench.Rate::cpuMsPerImage).toList());
            double e2e = Stats.median(rates);
            row(E2E, "end to end", "classify, " + bigJobs + " jobs x 256 images, max batch " + maxBatch
                    + ", worker warm (after the memory run)", fmt(e2e) + " img/s",
                    String.format("%.2f of engine at batch %d measured just before and after (%s img/s; goal >= 0.8); %.2f of engine"
                            + " best in the table; %.2f of the store's GET rate", e2e / near, maxBatch, fmt(near), e2e / engineBest,
                            e2e / fetchRate));
            row(E2E, "end to end, CPU", "CPU time per image by process, over the end-to-end runs", cpuLine, "");
            row(E2E, "end to end, worker's own CPU", "worker CPU per image end to end, less the engine's CPU per image alone at batch "
                    + maxBatch + " (process CPU time, measured just before and after)", String.format("%.2f ms", workerCpu - modelCpu),
                    String.format("goal <= 0.30 ms; worker %.2f ms, model alone %.2f ms per image; one GET's client CPU alone"
                            + " %.2f ms (the floor: a digit is one GET)", workerCpu, modelCpu, getCpu));
            row(E2E, "end to end, stages", "thread time per image in the worker (stages overlap across threads)",
                    stages.entrySet().stream().map(x -> x.getKey() + " " + String.format("%.2f ms", x.getValue()))
                            .collect(Collectors.joining(", ")),
                    String.format("wall time per image %.2f ms", 1000 / e2e));
            phase("end to end");
        }
        if (profile) {
            System.out.println("\nwhere the end-to-end worker's CPU samples were (JFR " + jfr + ", end-to-end runs only):");
            Profile.byArea(jfr, e2eFrom, e2eTo).forEach(l -> System.out.println("  " + l));
            System.out.println("hottest methods:");
            Profile.hotMethods(jfr, e2eFrom, e2eTo, 25).forEach(l -> System.out.println("  " + l));
        }

    }

    /**
     * 3b. The floor under the worker's own CPU per image: what one GET of a digit costs the S3
     * client (the SDK's request pipeline, signing, the Apache HTTP client) in CPU, this process's
     * CPU over the GETs only, nothing else running in it. Issue 16 measured the AWS CRT clients and
     * the JDK's client against it as levers (commit 3c14e6c): none was cheaper beyond noise.
     */
    private double storageClient(BenchSetup shared) throws Exception {
        int n = quick ? 2048 : 8192;
        int threads = config.storage().fetchConcurrency();
        List<Double> cpu = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        fetchOnly(shared.store(), shared.digits(), n, threads, 2, 0); // JIT warm-up, unmeasured
        for (int r = 0; r < repeats; r++) {
            long cpu0 = EngineBench.processCpuNanos();
            rate.add(fetchOnly(shared.store(), shared.digits(), n, threads, 0, 1));
            cpu.add((EngineBench.processCpuNanos() - cpu0) / 1e6 / n);
        }
        double ms = Stats.median(cpu);
        row(ENGINE, "object store, client CPU", "GET of 28x28 PNGs, " + threads + " in parallel, the S3 client alone",
                String.format("%.3f ms CPU per GET", ms), fmt(Stats.median(rate)) + " GET/s");
        phase("storage client");
        return ms;
    }

    /** The local stack's state folder (deploy/local), where its broker and S3 server leave pid files. */
    private static Path localStackDir() {
        String dir = System.getenv("IMAGE_WORKER_LOCAL_DIR");
        return dir == null ? null : Path.of(dir);
    }

    /** Objects per second fetched with {@code threads} parallel GETs, median of the repeats. */
    private double fetchOnly(ObjectStore store, List<String> uris, int n, int threads) throws Exception {
        return fetchOnly(store, uris, n, threads, 2, repeats); // two rounds unmeasured: the client's JIT warm-up
    }

    /** Objects per second fetched with {@code threads} parallel GETs: {@code warm} rounds unmeasured, then the median of {@code measured}. */
    private double fetchOnly(ObjectStore store, List<String> uris, int n, int threads, int warm, int measured) throws Exception {
        List<Double> rates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = -warm; r < measured; r++) {
                List<Future<byte[]>> f = new ArrayList<>(n);
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    S3Location loc = S3Location.parse(uris.get(i % uris.size()));
                    f.add(pool.submit(() -> store.read(loc, 1 << 20)));
                }
                for (Future<byte[]> x : f) {
                    x.get();
                }
                if (r >= 0) {
                    rates.add(n / ((System.nanoTime() - t0) / 1e9));
                }
            }
        } finally {
            pool.shutdown();
        }
        return Stats.median(rates);
    }
}
