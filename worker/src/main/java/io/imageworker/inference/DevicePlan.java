package io.imageworker.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.imageworker.models.ModelCard;
import io.imageworker.models.OnnxCuda;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Where each model runs, decided per engine at start from {@code image-worker.inference.device}
 * and per-model overrides. The two engines reach a GPU differently: ONNX Runtime through its CUDA
 * execution provider (the GPU build, {@link OnnxCuda}), MXNet through a CUDA build of libmxnet
 * (none is published anywhere reachable; {@code MXNET_LIBRARY_PATH}). So {@code gpu} may put the
 * ONNX models (text, faces, your own) on the GPU while the MXNet models stay on the CPU.
 *
 * <ul>
 *   <li>{@code cpu}: every model on the CPU.
 *   <li>{@code auto}: each engine on {@code gpu:0} when it can use it, else on the CPU with the reason
 *       in {@link #notes()} (logged at start).
 *   <li>{@code gpu:N}: ONNX models on {@code gpu:N}, and the start fails ({@link IllegalStateException})
 *       when ONNX Runtime cannot use it, naming what is missing: no silent fallback when a GPU was
 *       asked for. MXNet models on {@code gpu:N} when MXNet sees it, else on the CPU (a note).
 *   <li>A per-model override is explicit: {@code gpu:N} that the model's engine cannot use fails
 *       that model's load.
 * </ul>
 */
public final class DevicePlan {

    private final Device mxnet;
    private final Device onnx;
    private final Map<String, String> overrides;
    private final Resolver resolver;
    private final List<String> notes;
    private final Map<String, String> engines;

    private DevicePlan(Device mxnet, Device onnx, Map<String, String> overrides, Resolver resolver, List<String> notes,
            Map<String, String> engines) {
        this.mxnet = mxnet;
        this.onnx = onnx;
        this.overrides = Map.copyOf(overrides);
        this.resolver = resolver;
        this.notes = List.copyOf(notes);
        this.engines = Map.copyOf(engines);
    }

    /**
     * This plan with per-model engine choices for models that ship both forms (model name to
     * {@code auto}, {@code mxnet} or {@code onnx}).
     *
     * @throws IllegalArgumentException for any other value, naming the model
     */
    public DevicePlan withEngines(Map<String, String> choices) {
        choices.forEach((name, e) -> {
            if (!List.of("auto", "mxnet", "onnx").contains(e.strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("image-worker.inference.per-model." + name
                        + ".engine must be auto, mxnet or onnx, was '" + e + "'");
            }
        });
        return new DevicePlan(mxnet, onnx, overrides, resolver, notes, choices);
    }

    /**
     * True when the ONNX form of a {@code djl-block} model (its exported {@code <weights>.onnx})
     * should serve instead of MXNet: asked for by its engine setting, or {@code auto} and ONNX
     * Runtime has a GPU for the model while MXNet has none (no CUDA build of MXNet is published).
     */
    public boolean onnxFormFor(ModelCard card) {
        String engine = engines.getOrDefault(card.name(), "auto").strip().toLowerCase(Locale.ROOT);
        if (!engine.equals("auto")) {
            return engine.equals("onnx");
        }
        Device viaOnnx;
        try {
            viaOnnx = deviceFor(card.toBuilder().format(ModelCard.FORMAT_ONNX).build());
        } catch (IllegalStateException e) {
            return false;
        }
        Device viaMxnet;
        try {
            viaMxnet = deviceFor(card);
        } catch (IllegalStateException e) {
            viaMxnet = Device.cpu(); // an explicit GPU MXNet cannot use: the ONNX form may serve it
        }
        return viaOnnx.isGpu() && !viaMxnet.isGpu();
    }

    /** Every model on {@code device}, whatever its engine (tests, tools). */
    public static DevicePlan fixed(Device device) {
        return new DevicePlan(device, device, Map.of(), null, List.of(), Map.of());
    }

    /**
     * The plan for {@code setting} and the per-model overrides (model name to device setting),
     * asking the engines what they can use.
     *
     * @throws IllegalArgumentException for a setting other than auto, cpu, gpu or gpu:N
     * @throws IllegalStateException when {@code setting} asks for a GPU that ONNX Runtime cannot use
     */
    public static DevicePlan resolve(String setting, Map<String, String> overrides) {
        return resolve(setting, overrides, () -> mxnetGpus(), OnnxCuda::status);
    }

    /** As {@link #resolve(String, Map)} over given engine answers (tests). */
    static DevicePlan resolve(String setting, Map<String, String> overrides, IntSupplier mxnetGpus,
            Supplier<OnnxCuda.Status> onnxCuda) {
        Resolver r = new Resolver(mxnetGpus, onnxCuda);
        List<String> notes = new ArrayList<>();
        Integer gpu = parse(setting);
        Device mxnet = Device.cpu();
        Device onnx = Device.cpu();
        if (gpu != null) {
            boolean explicit = gpu >= 0;
            int index = Math.max(0, gpu);
            OnnxCuda.Status status = r.onnx();
            if (status.usable() && index < status.gpus()) {
                onnx = Device.gpu(index);
            } else {
                String why = status.usable() ? "CUDA reports " + status.gpus() + " GPU(s), no gpu:" + index : status.problem();
                if (explicit) {
                    throw new IllegalStateException("image-worker.inference.device=" + setting.strip()
                            + " but ONNX models cannot run on gpu:" + index + ": " + why
                            + " (or set image-worker.inference.device=cpu)");
                }
                notes.add("ONNX models run on the CPU: " + why);
            }
            int mx = r.mxnet();
            if (index < mx) {
                mxnet = Device.gpu(index);
            } else {
                notes.add("MXNet models run on the CPU: the MXNet engine sees " + mx + " GPU(s); its CPU build ships"
                        + " in the application and no CUDA build of libmxnet is published (supply one through"
                        + " MXNET_LIBRARY_PATH)");
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            parse(e.getValue()); // refuse a bad override at start, not at the model's first load
        }
        return new DevicePlan(mxnet, onnx, overrides, r, notes, Map.of());
    }

    /** The device for a model with {@code card}: its override, else its engine's device. */
    public Device deviceFor(ModelCard card) {
        String override = overrides.get(card.name());
        boolean onnxModel = ModelCard.FORMAT_ONNX.equals(card.formatOrDefault());
        if (override == null || resolver == null) {
            return onnxModel ? onnx : mxnet;
        }
        Integer gpu = parse(override);
        if (gpu == null) {
            return Device.cpu();
        }
        int index = Math.max(0, gpu);
        String problem;
        if (onnxModel) {
            OnnxCuda.Status s = resolver.onnx();
            problem = !s.usable() ? s.problem() : index < s.gpus() ? null : "CUDA reports " + s.gpus() + " GPU(s)";
        } else {
            int mx = resolver.mxnet();
            problem = index < mx ? null : "the MXNet engine sees " + mx + " GPU(s) (no CUDA build of libmxnet;"
                    + " supply one through MXNET_LIBRARY_PATH)";
        }
        if (problem == null) {
            return Device.gpu(index);
        }
        if (gpu < 0) { // auto
            return Device.cpu();
        }
        throw new IllegalStateException("image-worker.inference.per-model." + card.name() + ".device=" + override
                + " but model " + card.name() + " cannot run on gpu:" + index + ": " + problem);
    }

    /** {@link #deviceFor} as a function, for {@code ModelLoader}. */
    public Function<ModelCard, Device> asFunction() {
        return this::deviceFor;
    }

    /** Why an engine runs on the CPU although a GPU was asked for or allowed (logged at start). */
    public List<String> notes() {
        return notes;
    }

    /** One line for logs and the bench: {@code MXNet models on cpu(), ONNX models on gpu(0)}. */
    public String describe() {
        return "MXNet models on " + mxnet + ", ONNX models on " + onnx
                + (overrides.isEmpty() ? "" : ", overrides " + overrides) + (engines.isEmpty() ? "" : ", engines " + engines);
    }

    /** Device of the ONNX Runtime models without an override. */
    public Device onnx() {
        return onnx;
    }

    /** Device of the MXNet models without an override. */
    public Device mxnet() {
        return mxnet;
    }

    /** Null for cpu, -1 for auto, N for gpu / gpu:N. */
    static Integer parse(String setting) {
        String s = setting == null ? "auto" : setting.strip().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return -1;
        }
        if (s.equals("cpu")) {
            return null;
        }
        if (s.equals("gpu")) {
            return 0;
        }
        if (s.matches("gpu:\\d{1,3}")) {
            return Integer.parseInt(s.substring(4));
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, was '" + setting + "'");
    }

    private static int mxnetGpus() {
        Engine mx = Engine.getEngine("MXNet");
        return mx == null ? 0 : mx.getGpuCount();
    }

    /** Engine answers, each asked at most once. */
    private static final class Resolver {
        private final IntSupplier mxnetGpus;
        private final Supplier<OnnxCuda.Status> onnxCuda;
        private Integer mx;
        private OnnxCuda.Status ort;

        Resolver(IntSupplier mxnetGpus, Supplier<OnnxCuda.Status> onnxCuda) {
            this.mxnetGpus = mxnetGpus;
            this.onnxCuda = onnxCuda;
        }

        synchronized int mxnet() {
            if (mx == null) {
                mx = mxnetGpus.getAsInt();
            }
            return mx;
        }

        synchronized OnnxCuda.Status onnx() {
            if (ort == null) {
                ort = onnxCuda.get();
            }
            return ort;
        }
    }
}
