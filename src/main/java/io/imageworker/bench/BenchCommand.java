package io.imageworker.bench;

import ai.djl.Device;
import io.imageworker.inference.DevicePlan;
import ai.djl.ndarray.types.Shape;
import io.imageworker.config.WorkerConfig;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.storage.Storage;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.training.data.Mnist;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: measures the worker against the engine's own limit on this machine, through the
 * real broker and object store (the local stack, or whatever the environment points at). Every
 * figure is a median of repeated runs and every comparison a ratio measured in the same run.
 */
@Unremovable
@Dependent
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures throughput, latency, memory and start-up against the engine's own limit.",
            "Runs workers as separate processes against the broker and object store the environment names",
            "(deploy/local/bench.sh sets that up). Prints a Markdown table; --out also writes it to a file."})
public class BenchCommand implements Callable<Integer> {

    @Option(names = "--app", defaultValue = "target/quarkus-app/quarkus-run.jar", description = "The packaged worker (default: ${DEFAULT-VALUE}).")
    Path app;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (gpu:0 for workers and the engine measure).")
    String device;

    @Option(names = "--repeats", defaultValue = "3", description = "Repeats per measure; figures are medians (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--quick", description = "Small workloads (a smoke run, figures noisier).")
    boolean quick;

    @Option(names = "--memory-images", description = "Images to push through for the memory measure (default 100000; 20000 with --quick).")
    Integer memoryImages;

    @Option(names = "--tasks", split = ",", completionCandidates = io.imageworker.pipeline.TaskNames.class,
            description = "Tasks to measure, of ${COMPLETION-CANDIDATES} (default: every one); a task without a built-in model is skipped.")
    List<String> tasks;

    @Option(names = "--out", description = "Also write the table (Markdown) to this file.")
    Path out;

    @Option(names = "--vcpu-hour-price", description = "Price of one vCPU for one hour in US dollars, for the cost rows"
            + " (default: AWS EC2 on-demand m7i.large in us-east-1, $0.1008 an hour for 2 vCPU, halved).")
    Double vcpuHourPrice;

    @Option(names = "--sections", split = ",", defaultValue = "startup,end-to-end,cross-job,tasks,real-photos,delivery,cost",
            description = "Parts to measure (default: ${DEFAULT-VALUE}); the engine's rows are always measured.")
    List<String> sections;

    @Option(names = "--profile", description = "Record the worker with JFR and print where its time went in the end-to-end runs.")
    boolean profile;

    @Inject
    WorkerConfig config;

    @Inject
    Storage storage;

    @Inject
    io.imageworker.pipeline.Tasks served;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    /** A table row; rows print as measured and the table orders them by section. */
    private record Row(int section, String[] cells) {}

    private static final int ENGINE = 0;
    private static final int STARTUP = 1;
    private static final int E2E = 2;
    private static final int CROSS_JOB = 3;
    private static final int TASKS = 4;
    private static final int REAL_PHOTOS = 5;
    private static final int DELIVERY = 6;
    private static final int MEMORY = 7;
    private static final int COST = 8;
    private static final int DURATION = 9;

    /** Tasks measured on real photos the application carries rather than on digits. */
    private static final List<String> REAL_PHOTO_TASKS = List.of("text", "faces", "safe-search");

    /** Options of the classify jobs the bench produces. */
    private static final String TOP1 = "{\"topK\":1}";
    /** One input of the default classifier (C, H, W). */
    private static final Shape CLASSIFY_INPUT = new Shape(1, 28, 28);

    private final List<Row> rows = new ArrayList<>();
    private Device engineDevice;
    private DevicePlan devices;
    private Path classifierDir;
    /** The default classifier, loaded once in this process for every engine measure; closed by {@link #call}. */
    private LoadedModel engineModel;
    private final long began = System.nanoTime();
    private final Path logs = Path.of("target", "bench-logs");

    @Override
    public Integer call() throws Exception {
        try {
            return measure();
        } finally {
            if (engineModel != null) {
                engineModel.close();
            }
        }
    }

    /**
     * What every measurement shares: the uploaded digits, the model repository, the device the
     * workers use, and the engine's rates by batch size (measured first).
     */
    private record Shared(ObjectStore store, List<String> digits, ModelRepository repo, String workerDevice,
            Map<Integer, Double> engine, int maxBatch, String machine) {

        double engineBest() {
            return engine.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        }

        Map<String, String> deployed() {
            return Map.of("IMAGE_WORKER_INFERENCE_DEVICE", workerDevice);
        }
    }

    private Integer measure() throws Exception {
        Locale.setDefault(Locale.ROOT);
        boolean gpu = device.startsWith("gpu");
        // As the worker decides: ONNX models on the GPU through ONNX Runtime's CUDA provider (the
        // GPU build; without it this stops here saying what is missing), MXNet models where MXNet can.
        devices = DevicePlan.resolve(gpu ? "gpu:0" : "cpu", Map.of());
        devices.notes().forEach(n -> System.out.println("note: " + n));
        engineDevice = devices.mxnet();
        ObjectStore store = storage.store();
        List<String> digits = uploadDigits(store, 256);
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("bench-models"));
        String line = String.format("machine: %d cores (%s), %d MiB heap max, Java %s, device %s (%s), OMP_NUM_THREADS=%s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), device, devices.describe(), System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        System.out.println(line);
        classifierDir = repo.resolve(served.defaultModel("classify")).dir();
        Shared shared = new Shared(store, digits, repo, gpu ? "gpu:0" : "cpu", engineLimits(), config.batching().maxBatchSize(), line);
        phase("engine");
        if (sections.contains("startup")) {
            startup(shared);
        }
        if (sections.contains("end-to-end")) {
            memoryAndEndToEnd(shared);
        }
        if (sections.contains("cross-job")) {
            crossJob(shared);
        }
        if (sections.contains("tasks")) {
            otherTasks(shared);
        }
        if (sections.contains("real-photos")) {
            realPhotoTasks(shared);
        }
        if (sections.contains("delivery")) {
            delivery(shared);
        }
        if (sections.contains("cost")) {
            cost(shared);
        }
        return table(shared);
    }

    /** 1. The engine's limit: the classifier's forward pass alone at each batch size, images/s. */
    private Map<Integer, Double> engineLimits() throws Exception {
        Map<Integer, Double> engine = new LinkedHashMap<>();
        int[] sizes = {1, 8, 32, 64, 128, 256};
        // one unmeasured pass over every size first: the engine's memory pool and the JIT of the call path
        // take seconds of calls to settle, and a worker that has served a while has them settled too
        for (int bs : sizes) {
            engineRate(bs, 0.5, 1);
        }
        for (int bs : sizes) {
            engine.put(bs, engineRate(bs, quick ? 0.5 : 0.75, repeats));
            row(ENGINE, "engine", "classify forward pass alone, batch " + bs, fmt(engine.get(bs)) + " img/s", "");
        }
        return engine;
    }

    /**
     * 2. Start-up: process start to ready, the default models loaded and warm, on a first start
     * (every model measures its batch size and threads) and on a restart that reuses the choices
     * the first kept; peak RSS at ready for both, and each model's native footprint.
     */
    private void startup(Shared shared) throws Exception {
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

    /**
     * 3. One worker as deployed: memory over a long run, then the object store's GET rate and end to
     * end against the engine measured in the same minutes, with CPU by process and time by stage.
     */
    private void memoryAndEndToEnd(Shared shared) throws Exception {
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
        Path jfr = logs.resolve("bench-" + run + "-main.jfr").toAbsolutePath();
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
            engineNear.add(engineMeasure(maxBatch, 1.0, 1));
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
            engineNear.add(engineMeasure(maxBatch, 1.0, 1));
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
                            .collect(java.util.stream.Collectors.joining(", ")),
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
    private double storageClient(Shared shared) throws Exception {
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

    /** 4. Cross-job batching: single-image jobs, max batch 1 against dynamic batching, burst and steady. */
    private void crossJob(Shared shared) throws Exception {
        List<String> digits = shared.digits();
        int maxBatch = shared.maxBatch();
        int singleJobs = quick ? 300 : 2000;
        Map<String, String> dynamic = shared.deployed();
        // cross-job batching: single-image jobs, each mode on a fresh worker with the same warm-up; max batch 1
        // first, its burst rate sets the steady rate of both (80% of what max batch 1 can serve)
        Map<String, JobDriver.Run> burst = new LinkedHashMap<>();
        Map<String, JobDriver.Run> steady = new LinkedHashMap<>();
        Requests requests = null;
        for (String mode : List.of("batch1", "dynamic")) {
            Map<String, String> env = new HashMap<>(dynamic);
            if (mode.equals("batch1")) {
                env.put("IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", "1");
            }
            List<String> tt = topics("single-" + mode);
            try (WorkerLauncher w = worker("single-" + mode, env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
                warmUp(d, digits);
                String how = mode.equals("batch1") ? "max batch 1" : "dynamic batching";
                Requests before = Requests.of(w);
                JobDriver.Run b = singleJobs(d, digits, singleJobs, 0);
                if (mode.equals("dynamic")) {
                    requests = Requests.of(w).since(before);
                }
                burst.put(mode, b);
                row(CROSS_JOB, "cross-job, burst", singleJobs + " single-image jobs at once, " + how,
                        fmt(b.imagesPerSecond()) + " img/s", latencies(b));
                double rate = 0.8 * burst.get("batch1").imagesPerSecond();
                JobDriver.Run s = singleJobs(d, digits, singleJobs, rate);
                steady.put(mode, s);
                row(CROSS_JOB, "cross-job, steady", singleJobs + " single-image jobs at " + fmt(rate) + "/s, " + how,
                        fmt(s.imagesPerSecond()) + " img/s", latencies(s));
            }
            phase("cross-job, " + mode);
        }
        row(CROSS_JOB, "cross-job, requests", "per single-image job over the dynamic burst (the worker's counters)",
                requests.perJob(singleJobs), "object-store requests by type; Kafka records the worker produced");
        // the same burst with the defaults before requests were cut: HEAD before the work, report.html and items.jsonl
        Map<String, String> previous = new HashMap<>(dynamic);
        previous.put("IMAGE_WORKER_STORAGE_CONDITIONAL_WRITES", "off");
        previous.put("IMAGE_WORKER_RESULTS_REPORT_MIN_ITEMS", "1");
        previous.put("IMAGE_WORKER_RESULTS_ITEMS_FILE_MIN_ITEMS", "1");
        List<String> pt = topics("single-previous");
        try (WorkerLauncher w = worker("single-previous", previous, pt); JobDriver d = new JobDriver(kafka, pt.get(0), pt.get(1))) {
            warmUp(d, digits);
            Requests before = Requests.of(w);
            JobDriver.Run b = singleJobs(d, digits, singleJobs, 0);
            Requests used = Requests.of(w).since(before);
            row(CROSS_JOB, "cross-job, burst", singleJobs + " single-image jobs at once, dynamic batching, previous defaults"
                    + " (HEAD before the work, report.html, items.jsonl)", fmt(b.imagesPerSecond()) + " img/s",
                    String.format("%.2f of the current defaults' burst; per job %s; %s", b.imagesPerSecond()
                            / burst.get("dynamic").imagesPerSecond(), used.perJob(singleJobs), latencies(b)));
        }
        double batchCompute = 1000.0 * maxBatch / shared.engine().get(maxBatch);
        double p99Bound = config.batching().maxQueueDelay().toMillis() + 3 * batchCompute;
        double ratio = burst.get("dynamic").imagesPerSecond() / burst.get("batch1").imagesPerSecond();
        double engineGain = shared.engineBest() / shared.engine().get(1);
        row(CROSS_JOB, "cross-job, ratio", "dynamic vs max batch 1, burst throughput", String.format("%.2fx", ratio),
                String.format("%.2f of the engine's own batching gain in this run (%.1fx, best batch vs batch 1; goal >= 0.8);"
                        + " steady p99 %s ms vs bound %s ms (max delay + 3 x one batch's compute);"
                        + " a burst's p99 is the time to drain the whole burst", ratio / engineGain, engineGain,
                        fmt(Stats.percentile(steady.get("dynamic").latenciesMs(), 99)), fmt(p99Bound)));
        phase("cross-job, previous defaults");

    }

    /**
     * Object-store requests by operation ({@code image_worker_storage_requests_total}) and records the
     * worker's Kafka producers sent ({@code kafka_producer_record_send_total}), read from its
     * {@code /q/metrics}.
     */
    record Requests(Map<String, Double> storage, double records) {

        private static final java.util.regex.Pattern STORAGE =
                java.util.regex.Pattern.compile("image_worker_storage_requests_total\\{.*operation=\"([A-Za-z0-9]+)\".*} (\\S+)");

        static Requests of(WorkerLauncher w) throws Exception {
            return parse(w.get("/q/metrics"));
        }

        static Requests parse(String metrics) {
            Map<String, Double> ops = new java.util.TreeMap<>();
            double records = 0;
            for (String line : metrics.lines().toList()) {
                java.util.regex.Matcher m = STORAGE.matcher(line);
                if (m.matches()) {
                    ops.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                } else if (line.startsWith("kafka_producer_record_send_total")) {
                    records += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new Requests(ops, records);
        }

        Requests since(Requests before) {
            Map<String, Double> ops = new java.util.TreeMap<>();
            storage.forEach((op, n) -> ops.put(op, n - before.storage().getOrDefault(op, 0.0)));
            return new Requests(ops, records - before.records());
        }

        /** {@code HEAD 0.00, GET 1.00, PUT 1.00; 1.00 Kafka records} for {@code jobs} jobs. */
        String perJob(int jobs) {
            StringBuilder b = new StringBuilder();
            for (String[] op : new String[][] {{"HeadObject", "HEAD"}, {"GetObject", "GET"}, {"PutObject", "PUT"}}) {
                b.append(b.isEmpty() ? "" : ", ").append(op[1]).append(' ')
                        .append(String.format("%.2f", storage.getOrDefault(op[0], 0.0) / jobs));
            }
            storage.forEach((op, n) -> {
                if (!List.of("HeadObject", "GetObject", "PutObject").contains(op) && n > 0) {
                    b.append(", ").append(op).append(' ').append(String.format("%.2f", n / jobs));
                }
            });
            return b.append(String.format("; %.2f Kafka records", records / jobs)).toString();
        }
    }

    /** 5. The other tasks with a built-in model, dynamic batching against max batch 1. */
    private void otherTasks(Shared shared) throws Exception {
        List<String> digits = shared.digits();
        ModelRepository repo = shared.repo();
        Map<String, String> dynamic = shared.deployed();
        // the other tasks: one worker per mode serves all of them, one task after the other
        int taskJobs = quick ? 2 : 3;
        List<String> others = new ArrayList<>();
        for (String task : tasks != null ? tasks : served.known().keySet()) { // default: every task of the registry
            // text and faces read real photos, not digits: measured in realPhotoTasks
            if (!task.equals("classify") && !REAL_PHOTO_TASKS.contains(task) && hasModel(repo, task)) {
                others.add(task);
            }
        }
        Map<String, Map<String, Double>> taskRates = new LinkedHashMap<>();
        for (String mode : others.isEmpty() ? List.<String>of() : List.of("batch1", "dynamic")) {
            Map<String, String> env = new HashMap<>(dynamic);
            env.put("IMAGE_WORKER_MODELS_PRELOAD", String.join(",", others));
            if (mode.equals("batch1")) {
                env.put("IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", "1");
                for (String task : others) {
                    env.put("IMAGE_WORKER_BATCHING_PER_MODEL_" + served.defaultModel(task).toUpperCase(Locale.ROOT)
                            .replace('-', '_') + "_MAX_BATCH_SIZE", "1");
                }
            }
            List<String> tt = topics("tasks-" + mode);
            try (WorkerLauncher w = worker("tasks-" + mode, env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
                for (String task : others) {
                    List<Double> rates = new ArrayList<>();
                    for (int r = 0; r < repeats; r++) {
                        rates.add(batchJobs(d, task, digits.subList(0, 64), taskJobs, null).imagesPerSecond());
                    }
                    taskRates.computeIfAbsent(task, k -> new LinkedHashMap<>()).put(mode, Stats.median(rates));
                }
            }
            phase("other tasks, " + mode);
        }
        taskRates.forEach((task, rate) -> row(TASKS, task, taskJobs + " jobs x 64 " + (task.equals("generate") ? "samples" : "images")
                + ", dynamic batching", fmt(rate.get("dynamic")) + " img/s", String.format("%.2fx of max batch 1 (%s img/s)",
                        rate.get("dynamic") / rate.get("batch1"), fmt(rate.get("batch1")))));

    }

    /**
     * 6. The real-photo tasks (text on the text evaluation set's images, faces on the faces set's
     * photos with faces): end to end on a worker whose warm-up measured batch size and inference
     * threads, against fixed configurations of the same worker ({@link #grid}: batch cap, inference
     * threads, ONNX intra-op threads; a fresh worker each, in this run) by images per second and by
     * the worker's CPU time per image (its process's, from the OS: on a shared machine the steadier
     * of the two), with the padding cost the worker's element counters report, and against the
     * models alone in this process (one caller, batch 1, model time only).
     */
    private void realPhotoTasks(Shared shared) throws Exception {
        List<String> wanted = (tasks != null ? tasks : served.known().keySet()).stream().filter(REAL_PHOTO_TASKS::contains).toList();
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, List<String>> uris = new LinkedHashMap<>();
        Map<String, List<BufferedImage>> images = new LinkedHashMap<>();
        String bucket = config.storage().inputBuckets().get(0);
        for (String task : wanted) {
            List<String> files = new ArrayList<>();
            if (task.equals("text")) {
                io.imageworker.training.metrics.TextSet set = io.imageworker.training.metrics.TextSet.bundled();
                set.images().stream().limit(quick ? 8 : 24).forEach(im -> files.add(io.imageworker.training.metrics.TextSet.BUNDLED
                        + "images/" + im.file()));
            } else if (task.equals("faces")) {
                io.imageworker.training.metrics.FaceSet set = io.imageworker.training.metrics.FaceSet.bundled();
                set.images().stream().filter(p -> !p.negative()).forEach(p -> files.add(io.imageworker.training.metrics.FaceSet.BUNDLED
                        + "images/" + p.file()));
            } else {
                // safe-search: every photo of the faces set at its own size (uploads, not 224 px copies)
                io.imageworker.training.metrics.FaceSet set = io.imageworker.training.metrics.FaceSet.bundled();
                set.images().forEach(p -> files.add(io.imageworker.training.metrics.FaceSet.BUNDLED + "images/" + p.file()));
            }
            List<String> u = new ArrayList<>();
            List<BufferedImage> decoded = new ArrayList<>();
            io.imageworker.imaging.ImageDecoder decoder = new io.imageworker.imaging.ImageDecoder(config.limits().maxPixels());
            for (String f : files) {
                byte[] bytes;
                try (java.io.InputStream in = BenchCommand.class.getResourceAsStream(f)) {
                    bytes = in.readAllBytes();
                }
                S3Location loc = new S3Location(bucket, "bench/" + task + f.substring(f.lastIndexOf('/')));
                shared.store().write(loc, bytes, "application/octet-stream");
                u.add(loc.toString());
                decoded.add(decoder.decode(bytes));
            }
            uris.put(task, u);
            images.put(task, decoded);
        }
        int jobs = quick ? 1 : 2;
        int reps = quick ? Math.min(2, repeats) : repeats;
        List<Grid> grid = grid();
        Map<String, Map<String, GridRun>> runs = new LinkedHashMap<>();
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Grid g : grid) {
            Map<String, String> env = new HashMap<>(shared.deployed());
            env.put("IMAGE_WORKER_MODELS_PRELOAD", String.join(",", wanted));
            env.putAll(g.env());
            List<String> tt = topics("photos-" + g.slug());
            try (WorkerLauncher w = worker("photos-" + g.slug(), env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
                for (String task : wanted) {
                    batchJobs(d, task, uris.get(task), 1, null); // the JIT of the task's path, unmeasured
                    Map<String, Double> elements0 = elements(w.get("/q/metrics"));
                    long cpu0 = cpuNanos(w.pid());
                    List<Double> r = new ArrayList<>();
                    int counted = 0;
                    for (int i = 0; i < reps; i++) {
                        JobDriver.Run run = batchJobs(d, task, uris.get(task), jobs, null);
                        r.add(run.imagesPerSecond());
                        counted += run.images();
                    }
                    double cpuMsPerImage = (cpuNanos(w.pid()) - cpu0) / 1e6 / counted;
                    String metrics = w.get("/q/metrics");
                    Map<String, Double> elements1 = elements(metrics);
                    double real = elements1.getOrDefault("real", 0.0) - elements0.getOrDefault("real", 0.0);
                    double called = elements1.getOrDefault("called", 0.0) - elements0.getOrDefault("called", 0.0);
                    runs.computeIfAbsent(task, k -> new LinkedHashMap<>()).put(g.name(),
                            new GridRun(Stats.median(r), cpuMsPerImage, real > 0 ? called / real : Double.NaN));
                    if (g.name().equals(CHOSEN)) {
                        chosen.put(task, choices(metrics, task));
                    }
                }
            }
            phase("real-photo tasks, " + g.name());
        }
        for (String task : wanted) {
            String model = served.defaultModel(task);
            double engine = switch (task) {
                case "text" -> RealPhotoEngine.text(devices, shared.repo(), model, images.get(task), repeats);
                case "faces" -> RealPhotoEngine.faces(devices, shared.repo(), model, images.get(task), repeats);
                default -> RealPhotoEngine.classifier(devices, shared.repo(), model, images.get(task), repeats);
            };
            Map<String, GridRun> r = runs.get(task);
            GridRun measured = r.get(CHOSEN);
            GridRun batch1 = r.get(BATCH1);
            String workload = switch (task) {
                case "text" -> "text-set images";
                case "faces" -> "photos with faces";
                default -> "photos of the faces set";
            };
            row(REAL_PHOTOS, task, String.format("%d jobs x %d %s, measured batch size and threads", jobs, uris.get(task).size(),
                    workload), fmt1(measured.imagesPerSecond()) + " img/s",
                    String.format("%.2fx of batch 1 on one thread (%s img/s); %.2fx of the models alone in-process"
                            + " (one caller, batch 1, model time only: %s img/s)", measured.imagesPerSecond() / batch1.imagesPerSecond(),
                            fmt1(batch1.imagesPerSecond()), measured.imagesPerSecond() / engine, fmt1(engine)));
            String fastest = null;
            String leanest = null;
            for (var e : r.entrySet()) {
                if (e.getKey().equals(CHOSEN)) {
                    continue;
                }
                if (fastest == null || e.getValue().imagesPerSecond() > r.get(fastest).imagesPerSecond()) {
                    fastest = e.getKey();
                }
                if (leanest == null || e.getValue().cpuMsPerImage() < r.get(leanest).cpuMsPerImage()) {
                    leanest = e.getKey();
                }
            }
            row(REAL_PHOTOS, task + ", chosen vs fixed", String.format("the same jobs (%d x %d, median of %d), the worker's choice"
                    + " (%s) against %d fixed configurations, a fresh worker each", jobs, uris.get(task).size(), reps,
                    chosen.get(task), r.size() - 1), fmt1(measured.imagesPerSecond()) + " img/s, " + fmt1(measured.cpuMsPerImage())
                    + " ms CPU/img",
                    String.format("%.2fx of the best fixed by img/s (%s: %s img/s); %.2fx of the least worker CPU per image"
                            + " (%s: %s ms); padding cost %s (called / real input elements, from the worker's counters)",
                            measured.imagesPerSecond() / r.get(fastest).imagesPerSecond(), fastest,
                            fmt1(r.get(fastest).imagesPerSecond()), r.get(leanest).cpuMsPerImage() / measured.cpuMsPerImage(),
                            leanest, fmt1(r.get(leanest).cpuMsPerImage()), fmt2(measured.paddingCost())));
            StringBuilder all = new StringBuilder();
            double maxPadding = 0;
            for (var e : r.entrySet()) {
                all.append(all.isEmpty() ? "" : "; ").append(e.getKey()).append(' ').append(fmt1(e.getValue().imagesPerSecond()))
                        .append(" img/s ").append(fmt1(e.getValue().cpuMsPerImage())).append(" ms");
                maxPadding = Math.max(maxPadding, Double.isNaN(e.getValue().paddingCost()) ? 0 : e.getValue().paddingCost());
            }
            row(REAL_PHOTOS, task + ", grid", "each configuration: img/s and worker CPU ms per image (b batch cap,"
                    + " t inference threads, i ONNX intra-op threads)", "padding cost at most " + fmt2(maxPadding), all.toString());
        }
    }

    /** The worker's own choice, measured at warm-up. */
    private static final String CHOSEN = "chosen";
    /** Batch 1, one inference thread, one intra-op thread. */
    private static final String BATCH1 = "b1 t1 i1";

    /** One configuration of the real-photo grid: its name and the worker's environment for it. */
    private record Grid(String name, Map<String, String> env) {

        /** The name as topics and log files take it. */
        String slug() {
            return name.replace(' ', '-');
        }
    }

    /** What one configuration served: median images per second, worker CPU ms per image, padding cost. */
    private record GridRun(double imagesPerSecond, double cpuMsPerImage, double paddingCost) {}

    /**
     * The worker's choice, then batch caps 1, 2, 4 (and 8 without {@code --quick}) each with one
     * inference thread and one intra-op thread, two inference threads of one, and one of two (and,
     * without {@code --quick}, two of two), fixed with {@code measure=false}.
     */
    private List<Grid> grid() {
        List<Grid> out = new ArrayList<>();
        out.add(new Grid(CHOSEN, Map.of()));
        List<int[]> threads = new ArrayList<>(List.of(new int[] {1, 1}, new int[] {2, 1}, new int[] {1, 2}));
        if (!quick) {
            threads.add(new int[] {2, 2});
        }
        for (int b : quick ? new int[] {1, 2, 4} : new int[] {1, 2, 4, 8}) {
            for (int[] ti : threads) {
                out.add(new Grid("b" + b + " t" + ti[0] + " i" + ti[1], Map.of("IMAGE_WORKER_BATCHING_MEASURE", "false",
                        "IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", Integer.toString(b),
                        "IMAGE_WORKER_BATCHING_MAX_INFERENCE_THREADS", Integer.toString(ti[0]),
                        "IMAGE_WORKER_INFERENCE_ONNX_INTRA_OP_THREADS", Integer.toString(ti[1]))));
            }
        }
        return out;
    }

    /** CPU time the process has used so far, nanoseconds (0 when the OS does not say). */
    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    /** The worker's {@code image_worker_batch_input_elements_total} summed over models, by kind (real, called). */
    static Map<String, Double> elements(String prometheus) {
        Map<String, Double> out = new HashMap<>();
        for (String line : prometheus.split("\n")) {
            if (!line.startsWith("image_worker_batch_input_elements_total{")) {
                continue;
            }
            String kind = line.contains("kind=\"real\"") ? "real" : line.contains("kind=\"called\"") ? "called" : null;
            if (kind != null) {
                out.merge(kind, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return out;
    }

    /** "model bN tM" for each model of {@code task}'s jobs that the worker measured (its gauges). */
    private static String choices(String prometheus, String task) {
        Map<String, String[]> byModel = new java.util.TreeMap<>();
        for (String line : prometheus.split("\n")) {
            boolean size = line.startsWith("image_worker_model_batch_size{");
            boolean threads = line.startsWith("image_worker_model_inference_threads{");
            if (!size && !threads) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("model=\"([^\"]+)\"").matcher(line);
            if (!m.find()) {
                continue;
            }
            String[] c = byModel.computeIfAbsent(m.group(1), k -> new String[2]);
            c[size ? 0 : 1] = Long.toString(Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
        }
        StringBuilder out = new StringBuilder();
        byModel.forEach((model, c) -> {
            boolean ours = task.equals("text") ? model.startsWith("ppocr") : model.startsWith("blazeface") || model.contains("face");
            if (ours) {
                out.append(out.isEmpty() ? "" : ", ").append(model.replaceAll("-[0-9a-f]{8}", "")).append(" b").append(c[0])
                        .append(" t").append(c[1]);
            }
        });
        return out.isEmpty() ? "not reported" : out.toString();
    }

    /**
     * 7. Delivery guarantees: the same burst of single-image jobs on a worker in at-least-once mode
     * and on one in exactly-once mode (results and offsets in one transaction per commit, read by a
     * {@code read_committed} driver), each fresh with the same warm-up; medians of the repeats,
     * the modes alternating so that drift of this machine's speed hits both.
     */
    /**
     * 9. Cost per 1,000 images: per task with a Cloud Vision counterpart, a worker serving only that
     * task ({@code image-worker.tasks}) runs jobs of the task's images after one unmeasured job; its
     * process's CPU time (from the OS) over the images it served is the CPU time per image end to end
     * (fetch, decode, model, result writing; the broker's and the object store's own CPU not
     * counted), priced at {@code --vcpu-hour-price} beside Cloud Vision's list price
     * ({@link CostTable}).
     */
    private void cost(Shared shared) throws Exception {
        double price = vcpuHourPrice != null ? vcpuHourPrice : CostTable.DEFAULT_VCPU_HOUR_PRICE;
        String bucket = config.storage().inputBuckets().get(0);
        for (String task : tasks) {
            if (!CostTable.CLOUD_VISION_FEATURE.containsKey(task)) {
                continue;
            }
            List<String> inputs = task.equals("classify") ? shared.digits().subList(0, 64) : costPhotos(shared, bucket, task);
            Map<String, String> env = new HashMap<>(shared.deployed());
            env.put("IMAGE_WORKER_TASKS", task);
            env.put("IMAGE_WORKER_MODELS_PRELOAD", ""); // every served task: this one
            List<String> tt = topics("cost-" + task);
            try (WorkerLauncher w = worker("cost-" + task, env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
                batchJobs(d, task, inputs, 1, null); // the JIT of the task's path, unmeasured
                long cpu0 = cpuNanos(w.pid());
                int images = 0;
                for (int i = 0; i < (quick ? 1 : repeats); i++) {
                    images += batchJobs(d, task, inputs, quick ? 1 : 2, null).images();
                }
                double seconds = (cpuNanos(w.pid()) - cpu0) / 1e9 / images;
                row(COST, task + ", cost", String.format("worker CPU per image end to end, %d images (%s), at $%.4f per"
                        + " vCPU-hour", images, task.equals("classify") ? "digits" : "the task's evaluation photos", price),
                        String.format("%.4f CPU-s/image", seconds), CostTable.compare(task, seconds, price));
            }
        }
    }

    /** The bundled evaluation photos of {@code task} (text: the text set; the others: the faces set), uploaded. */
    private List<String> costPhotos(Shared shared, String bucket, String task) throws Exception {
        List<String> files = new ArrayList<>();
        if (task.equals("text")) {
            io.imageworker.training.metrics.TextSet.bundled().images().stream().limit(quick ? 8 : 24)
                    .forEach(im -> files.add(io.imageworker.training.metrics.TextSet.BUNDLED + "images/" + im.file()));
        } else {
            io.imageworker.training.metrics.FaceSet.bundled().images().stream().filter(p -> !task.equals("faces") || !p.negative())
                    .forEach(p -> files.add(io.imageworker.training.metrics.FaceSet.BUNDLED + "images/" + p.file()));
        }
        List<String> uris = new ArrayList<>();
        for (String f : files) {
            byte[] bytes;
            try (java.io.InputStream in = BenchCommand.class.getResourceAsStream(f)) {
                bytes = in.readAllBytes();
            }
            S3Location loc = new S3Location(bucket, "bench/cost/" + task + f.substring(f.lastIndexOf('/')));
            shared.store().write(loc, bytes, "application/octet-stream");
            uris.add(loc.toString());
        }
        return uris;
    }

    private void delivery(Shared shared) throws Exception {
        List<String> digits = shared.digits();
        int n = quick ? 300 : 1000;
        Map<String, List<JobDriver.Run>> runs = new LinkedHashMap<>();
        List<String> modes = List.of("at-least-once", "exactly-once");
        Map<String, WorkerLauncher> workers = new LinkedHashMap<>();
        Map<String, JobDriver> drivers = new LinkedHashMap<>();
        try {
            for (String mode : modes) {
                Map<String, String> env = new HashMap<>(shared.deployed());
                env.put("IMAGE_WORKER_DELIVERY", mode);
                List<String> tt = topics("delivery-" + mode);
                workers.put(mode, worker("delivery-" + mode, env, tt));
                JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1), mode.equals("exactly-once"));
                drivers.put(mode, d);
                warmUp(d, digits);
            }
            for (int r = 0; r < repeats; r++) {
                for (String mode : modes) {
                    runs.computeIfAbsent(mode, k -> new ArrayList<>()).add(singleJobs(drivers.get(mode), digits, n, 0));
                }
            }
        } finally {
            for (JobDriver d : drivers.values()) {
                d.close();
            }
            for (WorkerLauncher w : workers.values()) {
                w.close();
            }
        }
        Map<String, Double> rate = new LinkedHashMap<>();
        for (String mode : modes) {
            List<JobDriver.Run> rs = runs.get(mode);
            rate.put(mode, Stats.median(rs.stream().map(JobDriver.Run::imagesPerSecond).toList()));
            JobDriver.Run last = rs.get(rs.size() - 1);
            row(DELIVERY, "delivery, burst", n + " single-image jobs at once, " + mode + (mode.equals("exactly-once")
                    ? " (results read read_committed)" : ""), fmt(rate.get(mode)) + " jobs/s",
                    mode.equals("exactly-once") ? String.format("%.2f of at-least-once in the same run; last run's %s",
                            rate.get(mode) / rate.get("at-least-once"), latencies(last)) : "last run's " + latencies(last));
        }
        phase("delivery");
    }

    /** The table, sorted by section, printed and written to {@code --out}; the exit status. */
    private Integer table(Shared shared) throws Exception {
        String line = shared.machine();
        double minutes = (System.nanoTime() - began) / 60e9;
        row(DURATION, "duration", "this bench, from its start to this table (the stack's start and the build not included)",
                String.format("%.1f min", minutes), quick ? "--quick" : "goal < 10 min");
        rows.sort(java.util.Comparator.comparingInt(Row::section));
        StringBuilder table = new StringBuilder(line).append("\n\n| measure | workload | result | comparison |\n| --- | --- | --- | --- |\n");
        rows.forEach(r -> table.append("| ").append(String.join(" | ", r.cells())).append(" |\n"));
        System.out.println();
        System.out.print(table);
        if (out != null) {
            Files.writeString(out, table.toString());
        }
        return 0;
    }

    /** The same warm-up for every cross-job worker: the JIT compiles the job path before it is timed. */
    private void warmUp(JobDriver d, List<String> digits) throws Exception {
        batchJobs(d, "classify", digits, 4, TOP1);
        singleJobs(d, digits, 300, 0);
    }

    /** The default classifier's forward pass alone at {@code batchSize} in this process (see {@link EngineBench}). */
    private double engineRate(int batchSize, double seconds, int reps) throws Exception {
        return engineMeasure(batchSize, seconds, reps).imagesPerSecond();
    }

    /** {@link #engineRate} with the CPU time per image (see {@link EngineBench#measure}). */
    private EngineBench.Rate engineMeasure(int batchSize, double seconds, int reps) throws Exception {
        if (engineModel == null) {
            engineModel = ModelLoader.load(classifierDir, engineDevice);
        }
        return EngineBench.measure(engineModel, CLASSIFY_INPUT, batchSize, seconds, reps, engineDevice);
    }

    /** Prints how long the bench has run, after each part (not in the table). */
    private void phase(String done) {
        System.out.printf("  (%s done at %.1f min)%n", done, (System.nanoTime() - began) / 60e9);
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
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int r = -warm; r < measured; r++) {
                List<java.util.concurrent.Future<byte[]>> f = new ArrayList<>(n);
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    S3Location loc = S3Location.parse(uris.get(i % uris.size()));
                    f.add(pool.submit(() -> store.read(loc, 1 << 20)));
                }
                for (java.util.concurrent.Future<byte[]> x : f) {
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

    /** {@code jobs} jobs of all {@code inputs} (or, for generate, that many samples) produced at once. */
    private JobDriver.Run batchJobs(JobDriver d, String task, List<String> inputs, int jobs, String options) throws Exception {
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
    private JobDriver.Run singleJobs(JobDriver d, List<String> inputs, int n, double rate) throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int j = 0; j < n; j++) {
            if (rate > 0) {
                long wait = t0 + (long) (j * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            String id = JobDriver.jobId("single");
            d.send(id, "{\"jobId\":\"" + id + "\",\"task\":\"classify\",\"options\":" + TOP1 + ",\"inputs\":[{\"uri\":\""
                    + inputs.get(j % inputs.size()) + "\"}]}");
            ids.add(id);
        }
        d.flush();
        return d.await(ids, n, t0, Duration.ofMinutes(10));
    }

    private WorkerLauncher worker(String name, Map<String, String> env, List<String> topics) throws Exception {
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
    private List<String> topics(String scenario) throws Exception {
        String base = "bench-" + run + "-" + scenario;
        List<String> names = List.of(base + "-jobs", base + "-results", base + "-dlq", base + "-progress");
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, 3, (short) 1)).toList()).all().get();
        }
        return names;
    }

    private List<String> uploadDigits(ObjectStore store, int n) throws Exception {
        Mnist test = Mnist.bundledTestSet();
        String bucket = config.storage().inputBuckets().get(0);
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(Mnist.SIDE, Mnist.SIDE, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = new byte[Mnist.PIXELS];
            System.arraycopy(test.pixels(), i * Mnist.PIXELS, px, 0, Mnist.PIXELS);
            img.getRaster().setDataElements(0, 0, Mnist.SIDE, Mnist.SIDE, px);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            S3Location loc = new S3Location(bucket, "bench/digits/" + String.format("%05d.png", i));
            store.write(loc, png.toByteArray(), "image/png");
            uris.add(loc.toString());
        }
        return uris;
    }

    private static boolean hasModel(ModelRepository repo, String task) throws Exception {
        for (String name : repo.names()) {
            if (repo.resolve(name).card().task().equals(task)) {
                return true;
            }
        }
        return false;
    }

    private void row(int section, String measure, String workload, String result, String comparison) {
        rows.add(new Row(section, new String[] {measure, workload, result, comparison}));
        System.out.printf("%-18s %-80s %-16s %s%n", measure, workload, result, comparison);
    }

    private static String latencies(JobDriver.Run r) {
        return String.format("latency p50 %s / p95 %s / p99 %s ms", fmt(Stats.percentile(r.latenciesMs(), 50)),
                fmt(Stats.percentile(r.latenciesMs(), 95)), fmt(Stats.percentile(r.latenciesMs(), 99)));
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.1f", v);
    }

    private static String fmt2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.2f", v);
    }

    private static String fmt1(double v) {
        return String.format("%.1f", v);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }
}
