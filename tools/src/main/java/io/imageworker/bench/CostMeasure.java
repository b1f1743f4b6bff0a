package io.imageworker.bench;

import io.imageworker.storage.S3Location;
import io.imageworker.training.metrics.FaceSet;
import io.imageworker.training.metrics.TextSet;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * 9. Cost per 1,000 images: per task with a Cloud Vision counterpart, a worker serving only that
 * task ({@code image-worker.tasks}) runs jobs of the task's images after one unmeasured job; its
 * process's CPU time (from the OS) over the images it served is the CPU time per image end to end
 * (fetch, decode, model, result writing; the broker's and the object store's own CPU not
 * counted), priced at {@code --vcpu-hour-price} beside Cloud Vision's list price
 * ({@link CostTable}).
 */
final class CostMeasure extends Measure {

    /** Price of one vCPU for one hour in US dollars; null: {@link CostTable#DEFAULT_VCPU_HOUR_PRICE}. */
    private final Double vcpuHourPrice;

    CostMeasure(BenchHarness harness, Double vcpuHourPrice) {
        super(harness);
        this.vcpuHourPrice = vcpuHourPrice;
    }

    /** @param tasks the tasks asked for; those with a Cloud Vision counterpart are measured */
    void run(BenchSetup shared, List<String> tasks) throws Exception {
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
    private List<String> costPhotos(BenchSetup shared, String bucket, String task) throws Exception {
        List<String> files = new ArrayList<>();
        if (task.equals("text")) {
            TextSet.bundled().images().stream().limit(quick ? 8 : 24)
                    .forEach(im -> files.add(TextSet.BUNDLED + "images/" + im.file()));
        } else {
            FaceSet.bundled().images().stream().filter(p -> !task.equals("faces") || !p.negative())
                    .forEach(p -> files.add(FaceSet.BUNDLED + "images/" + p.file()));
        }
        List<String> uris = new ArrayList<>();
        for (String f : files) {
            byte[] bytes;
            try (InputStream in = BenchCommand.class.getResourceAsStream(f)) {
                bytes = in.readAllBytes();
            }
            S3Location loc = new S3Location(bucket, "bench/cost/" + task + f.substring(f.lastIndexOf('/')));
            shared.store().write(loc, bytes, "application/octet-stream");
            uris.add(loc.toString());
        }
        return uris;
    }
}
