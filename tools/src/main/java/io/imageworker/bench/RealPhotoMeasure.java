package io.imageworker.bench;

import io.imageworker.imaging.ImageDecoder;
import io.imageworker.inference.DevicePlan;
import io.imageworker.storage.S3Location;
import io.imageworker.training.metrics.FaceSet;
import io.imageworker.training.metrics.TextSet;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 6. The real-photo tasks (text on the text evaluation set's images, faces on the faces set's
 * photos with faces, safe-search and objects on every photo of the faces set): end to end on a worker whose warm-up measured batch size and inference
 * threads, against fixed configurations of the same worker ({@link #grid}: batch cap, inference
 * threads, ONNX intra-op threads; a fresh worker each, in this run) by images per second and by
 * the worker's CPU time per image (its process's, from the OS: on a shared machine the steadier
 * of the two), with the padding cost the worker's element counters report, and against the
 * models alone in this process (one caller, batch 1, model time only); and per task the wall time
 * per photo and the worker's peak RSS with the models' native memory. A task whose model runs one
 * image a call (objects) is compared with batch 1 on one and on two inference threads only.
 */
final class RealPhotoMeasure extends Measure {

    /** Where the models alone are run in this process, as the worker places them. */
    private final DevicePlan devices;

    RealPhotoMeasure(BenchHarness harness, DevicePlan devices) {
        super(harness);
        this.devices = devices;
    }

    /** @param wanted the real-photo tasks to measure */
    void run(BenchSetup shared, List<String> wanted) throws Exception {
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, List<String>> uris = new LinkedHashMap<>();
        Map<String, List<BufferedImage>> images = new LinkedHashMap<>();
        String bucket = config.storage().inputBuckets().get(0);
        for (String task : wanted) {
            List<String> files = new ArrayList<>();
            if (task.equals("text")) {
                TextSet set = TextSet.bundled();
                set.images().stream().limit(quick ? 8 : 24).forEach(im -> files.add(TextSet.BUNDLED
                        + "images/" + im.file()));
            } else if (task.equals("faces")) {
                FaceSet set = FaceSet.bundled();
                set.images().stream().filter(p -> !p.negative()).forEach(p -> files.add(FaceSet.BUNDLED
                        + "images/" + p.file()));
            } else {
                // safe-search and objects: every photo of the faces set at its own size (uploads, not
                // copies at the model's side; 15 with COCO objects, 10 without)
                FaceSet set = FaceSet.bundled();
                set.images().forEach(p -> files.add(FaceSet.BUNDLED + "images/" + p.file()));
            }
            List<String> u = new ArrayList<>();
            List<BufferedImage> decoded = new ArrayList<>();
            ImageDecoder decoder = new ImageDecoder(config.limits().maxPixels());
            for (String f : files) {
                byte[] bytes;
                try (InputStream in = BenchCommand.class.getResourceAsStream(f)) {
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
        List<Grid> grid = grid(wanted);
        Map<String, Map<String, GridRun>> runs = new LinkedHashMap<>();
        Map<String, String> chosen = new LinkedHashMap<>();
        Map<String, String> memory = new LinkedHashMap<>();
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
                        memory.put(task, String.format("%d MiB; the models' native memory at warm-up (the worker's gauge): %s",
                                w.peakRssBytes() >> 20, nativeMiB(metrics, task)));
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
                case "objects" -> RealPhotoEngine.objects(devices, shared.repo(), model, images.get(task), repeats);
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
            row(REAL_PHOTOS, task + ", time and memory", "the worker's choice: wall time per photo end to end (1 / img/s, the"
                    + " jobs' images in flight together) and the model alone per photo; the worker's peak RSS (VmHWM) after"
                    + " the jobs, with the tasks " + wanted + " preloaded",
                    String.format("%.0f ms/photo; model alone %.0f ms", 1000 / measured.imagesPerSecond(), 1000 / engine),
                    "peak RSS " + memory.get(task));
        }
    }

    /** The worker's own choice, measured at warm-up. */
    private static final String CHOSEN = "chosen";
    /** Tasks whose models run one image a call (NanoDet's graph has a fixed batch of 1): no batch sizes to compare. */
    private static final java.util.Set<String> BATCH_ONE = java.util.Set.of("objects");
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
    private List<Grid> grid(List<String> wanted) {
        List<Grid> out = new ArrayList<>();
        out.add(new Grid(CHOSEN, Map.of()));
        if (BATCH_ONE.containsAll(wanted)) {
            // one image a call whatever the cap, on MXNet (no ONNX intra-op threads): only the inference threads vary
            out.add(new Grid(BATCH1, fixed(1, 1, 1)));
            out.add(new Grid("b1 t2 i1", fixed(1, 2, 1)));
            return out;
        }
        List<int[]> threads = new ArrayList<>(List.of(new int[] {1, 1}, new int[] {2, 1}, new int[] {1, 2}));
        if (!quick) {
            threads.add(new int[] {2, 2});
        }
        for (int b : quick ? new int[] {1, 2, 4} : new int[] {1, 2, 4, 8}) {
            for (int[] ti : threads) {
                out.add(new Grid("b" + b + " t" + ti[0] + " i" + ti[1], fixed(b, ti[0], ti[1])));
            }
        }
        return out;
    }

    /** The worker's environment for a fixed configuration: batch cap, inference threads, ONNX intra-op threads. */
    private static Map<String, String> fixed(int batch, int threads, int intraOp) {
        return Map.of("IMAGE_WORKER_BATCHING_MEASURE", "false", "IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", Integer.toString(batch),
                "IMAGE_WORKER_BATCHING_MAX_INFERENCE_THREADS", Integer.toString(threads),
                "IMAGE_WORKER_INFERENCE_ONNX_INTRA_OP_THREADS", Integer.toString(intraOp));
    }

    /** "model N MiB, ..." from the worker's {@code image_worker_model_native_bytes} gauges of {@code task}'s models. */
    private static String nativeMiB(String prometheus, String task) {
        StringBuilder out = new StringBuilder();
        for (String line : prometheus.split("\n")) {
            Matcher m = Pattern.compile("model=\"([^\"]+)\"").matcher(line);
            if (line.startsWith("image_worker_model_native_bytes{") && m.find() && ours(task, m.group(1))) {
                out.append(out.isEmpty() ? "" : ", ").append(m.group(1)).append(' ')
                        .append(Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) / (1 << 20))).append(" MiB");
            }
        }
        return out.isEmpty() ? "not reported" : out.toString();
    }

    /** True when {@code model} serves {@code task}'s jobs (by the built-in models' names). */
    private static boolean ours(String task, String model) {
        return switch (task) {
            case "text" -> model.startsWith("ppocr");
            case "objects" -> model.startsWith("nanodet");
            case "safe-search" -> model.startsWith("nsfw");
            default -> model.startsWith("blazeface") || model.contains("face");
        };
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
        Map<String, String[]> byModel = new TreeMap<>();
        for (String line : prometheus.split("\n")) {
            boolean size = line.startsWith("image_worker_model_batch_size{");
            boolean threads = line.startsWith("image_worker_model_inference_threads{");
            if (!size && !threads) {
                continue;
            }
            Matcher m = Pattern.compile("model=\"([^\"]+)\"").matcher(line);
            if (!m.find()) {
                continue;
            }
            String[] c = byModel.computeIfAbsent(m.group(1), k -> new String[2]);
            c[size ? 0 : 1] = Long.toString(Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
        }
        StringBuilder out = new StringBuilder();
        byModel.forEach((model, c) -> {
            if (ours(task, model)) {
                out.append(out.isEmpty() ? "" : ", ").append(model.replaceAll("-[0-9a-f]{8}", "")).append(" b").append(c[0])
                        .append(" t").append(c[1]);
            }
        });
        return out.isEmpty() ? "not reported" : out.toString();
    }
}
