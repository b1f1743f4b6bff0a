package io.imageworker.bench;

import io.imageworker.inference.DevicePlan;
import io.imageworker.config.WorkerConfig;
import io.imageworker.models.ModelRepository;
import io.imageworker.storage.Storage;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.datasets.Mnist;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: measures the worker against the engine's own limit on this machine, through the
 * real broker and object store (the local stack, or whatever the environment points at). Every
 * figure is a median of repeated runs and every comparison a ratio measured in the same run.
 *
 * <p>This command reads the options and runs the sections asked for in order, each a
 * {@link Measure} of its own ({@link EngineMeasure}, {@link StartupMeasure}, {@link EndToEndMeasure},
 * {@link CrossJobMeasure}, {@link TaskMeasure}, {@link RealPhotoMeasure}, {@link DeliveryMeasure},
 * {@link CostMeasure}) on the shared {@link BenchHarness}; it decides which tasks each task measure gets.
 */
@Unremovable
@Dependent
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures throughput, latency, memory and start-up against the engine's own limit.",
            "Runs workers as separate processes against the broker and object store the environment names",
            "(deploy/local/bench.sh sets that up). Prints a Markdown table; --out also writes it to a file."})
public class BenchCommand implements Callable<Integer> {

    @Option(names = "--app", defaultValue = "worker/target/quarkus-app/quarkus-run.jar", description = "The packaged worker (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--sections", split = ",", defaultValue = "onnx-forms,startup,end-to-end,cross-job,tasks,real-photos,documents,delivery,cost",
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

    /** Tasks measured on real photos the application carries rather than on digits. */
    private static final List<String> REAL_PHOTO_TASKS = List.of("text", "faces", "safe-search", "objects");

    @Override
    public Integer call() throws Exception {
        BenchHarness harness = new BenchHarness(app, kafka, config, served, repeats, quick);
        Locale.setDefault(Locale.ROOT);
        boolean gpu = device.startsWith("gpu");
        // As the worker decides: ONNX models on the GPU through ONNX Runtime's CUDA provider (the
        // GPU build; without it this stops here saying what is missing), MXNet models where MXNet can.
        DevicePlan devices = DevicePlan.resolve(gpu ? "gpu:0" : "cpu", Map.of());
        devices.notes().forEach(n -> System.out.println("note: " + n));
        ObjectStore store = storage.store();
        List<String> digits = uploadDigits(store, 256);
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("bench-models"));
        String line = String.format("machine: %d cores (%s), %d MiB heap max, Java %s, device %s (%s), OMP_NUM_THREADS=%s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), device, devices.describe(), System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        System.out.println(line);
        Path classifierDir = repo.resolve(served.defaultModel("classify")).dir();
        try (EngineMeasure engine = new EngineMeasure(harness, classifierDir, devices.mxnet())) {
            BenchSetup shared = new BenchSetup(store, digits, repo, gpu ? "gpu:0" : "cpu", engine.limits(),
                    config.batching().maxBatchSize(), line);
            harness.phase("engine");
            if (sections.contains("onnx-forms")) {
                new FormsMeasure(harness, classifierDir, devices).run();
                harness.phase("onnx-forms");
            }
            if (sections.contains("startup")) {
                new StartupMeasure(harness).run(shared);
            }
            if (sections.contains("end-to-end")) {
                new EndToEndMeasure(harness, engine, memoryImages, profile).run(shared);
            }
            if (sections.contains("cross-job")) {
                new CrossJobMeasure(harness).run(shared);
            }
            // the task lists of the task measures: the --tasks asked for (default: every task of the registry),
            // split by what each measures on
            List<String> tasks = this.tasks != null ? this.tasks : List.copyOf(served.known().keySet());
            if (sections.contains("tasks")) {
                List<String> others = new ArrayList<>();
                for (String task : tasks) {
                    // text, faces, safe-search and objects read real photos, not digits: measured with the real photos
                    if (!task.equals("classify") && !REAL_PHOTO_TASKS.contains(task) && hasModel(repo, task)) {
                        others.add(task);
                    }
                }
                new TaskMeasure(harness).run(shared, others);
            }
            if (sections.contains("real-photos")) {
                List<String> wanted = tasks.stream().filter(REAL_PHOTO_TASKS::contains).toList();
                if (!wanted.isEmpty()) {
                    new RealPhotoMeasure(harness, devices).run(shared, wanted);
                }
            }
            if (sections.contains("documents") && tasks.contains("text")) {
                new DocumentsMeasure(harness).run(shared);
            }
            if (sections.contains("delivery")) {
                new DeliveryMeasure(harness).run(shared);
            }
            if (sections.contains("cost")) {
                new CostMeasure(harness, vcpuHourPrice).run(shared, tasks);
            }
            return harness.table(shared.machine(), out);
        }
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

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }
}
