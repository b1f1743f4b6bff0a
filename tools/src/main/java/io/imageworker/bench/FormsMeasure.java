package io.imageworker.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.imageworker.batching.NativeMemory;
import io.imageworker.inference.DevicePlan;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two forms of one of the project's own models in this process, one after the other: its MXNet
 * form (the DJL block and {@code .params}) and its exported ONNX form ({@code <weights>.onnx}
 * through ONNX Runtime, on the ONNX device of the plan: the GPU with {@code --device gpu}), each
 * model's forward pass alone ({@link EngineBench}) at a few batch sizes, with the ONNX form's rate as
 * a ratio of the MXNet form's from the same run, and the resident memory each form added while loaded
 * and run (VmRSS after minus before; the ONNX form's includes ONNX Runtime's own start when it is the
 * first ONNX model of the process). This is the measurement behind the {@code auto} engine choice.
 */
final class FormsMeasure extends Measure {

    private static final Shape INPUT = new Shape(1, 28, 28);
    private static final int[] SIZES = {1, 32, 128};

    private final Path modelDir;
    private final DevicePlan devices;

    FormsMeasure(BenchHarness harness, Path modelDir, DevicePlan devices) {
        super(harness);
        this.modelDir = modelDir;
        this.devices = devices;
    }

    void run() throws Exception {
        Map<Integer, Double> mxnet = measure(false, devices.mxnet(), null);
        measure(true, devices.onnx(), mxnet);
    }

    private Map<Integer, Double> measure(boolean onnx, Device device, Map<Integer, Double> baseline) throws Exception {
        String form = onnx ? "ONNX form (ONNX Runtime, " + device + ")" : "MXNet form (" + device + ")";
        long before = NativeMemory.rssBytes(ProcessHandle.current().pid());
        Map<Integer, Double> rates = new LinkedHashMap<>();
        String name;
        try (LoadedModel model = ModelLoader.load(modelDir, card -> device, card -> onnx, ModelLoader.LoadOptions.DEFAULT)) {
            name = model.card().name();
            // ONNX Runtime takes its inputs from host memory (its CUDA provider copies them): MXNet, which makes
            // the input arrays, may have no GPU at all
            Device inputs = onnx ? Device.cpu() : device;
            for (int bs : SIZES) {
                EngineBench.measure(model, INPUT, bs, 0.5, 1, inputs); // warm-up of this size, unmeasured
                double rate = EngineBench.measure(model, INPUT, bs, quick ? 0.5 : 0.75, repeats, inputs).imagesPerSecond();
                rates.put(bs, rate);
                row(ENGINE, "forms", name + " forward pass alone, " + form + ", batch " + bs,
                        fmt(rate) + " img/s, " + fmt2(bs * 1000.0 / rate) + " ms a batch",
                        baseline == null ? "baseline" : "x" + fmt2(rate / baseline.get(bs)) + " of the MXNet form");
            }
            long after = NativeMemory.rssBytes(ProcessHandle.current().pid());
            row(ENGINE, "forms", name + ", " + form + ": resident memory added while loaded and run",
                    "+" + ((after - before) >> 20) + " MiB VmRSS", "");
        }
        return rates;
    }
}
