package io.imageworker.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether ONNX Runtime's CUDA execution provider can run here, asked once at start before any
 * model is loaded: the build's ONNX Runtime must carry the provider (the GPU jar, Maven profile
 * {@code gpu}), the CUDA 12 and cuDNN 9 libraries that {@code libonnxruntime_providers_cuda.so}
 * loads must be on the dynamic linker's path, and CUDA must report a GPU. ONNX Runtime itself only
 * says "Failed to load shared library" when a library is missing; this names which one.
 */
public final class OnnxCuda {

    /**
     * The libraries {@code libonnxruntime_providers_cuda.so} of ONNX Runtime 1.22 needs (its
     * {@code NEEDED} entries besides the C runtime), by soname.
     */
    public static final List<String> LIBRARIES = List.of("libcudart.so.12", "libcublasLt.so.12", "libcublas.so.12",
            "libcufft.so.11", "libcurand.so.10", "libnvrtc.so.12", "libcudnn.so.9");

    /**
     * What the probe found.
     *
     * @param gpus GPUs CUDA reports (0 when it could not be asked)
     * @param problem why ONNX models cannot run on a GPU here, with what to do about it; null when
     *     they can
     */
    public record Status(int gpus, String problem) {

        /** True when the provider, its libraries and at least one GPU are there. */
        public boolean usable() {
            return problem == null;
        }
    }

    /** How the probe reaches the native side; a seam for tests of the messages. */
    interface Natives {
        /** True when this build's ONNX Runtime has the CUDA execution provider. */
        boolean hasCudaProvider();

        /** Null when {@code soname} loads, else the loader's error. */
        String load(String soname);

        /**
         * {@code cudaGetDeviceCount}: the count, or a negative CUDA error code with its text in
         * {@code error[0]}.
         */
        int deviceCount(String[] error);
    }

    private static volatile Status cached;

    private OnnxCuda() {}

    /** The probe's result for this process (computed on first call, then kept). */
    public static Status status() {
        Status s = cached;
        if (s == null) {
            s = probe(new RealNatives());
            cached = s;
        }
        return s;
    }

    /** The probe over {@code natives}. */
    static Status probe(Natives natives) {
        if (!natives.hasCudaProvider()) {
            return new Status(0, "this build's ONNX Runtime has no CUDA execution provider (it is the CPU jar,"
                    + " com.microsoft.onnxruntime:onnxruntime); use the GPU image (<version>-gpu) or build with"
                    + " ./mvnw -Pgpu package");
        }
        List<String> missing = new ArrayList<>();
        String firstError = null;
        for (String lib : LIBRARIES) {
            String error = natives.load(lib);
            if (error != null) {
                missing.add(lib);
                firstError = firstError == null ? error : firstError;
            }
        }
        if (!missing.isEmpty()) {
            return new Status(0, "ONNX Runtime's CUDA execution provider needs CUDA 12 and cuDNN 9 libraries that"
                    + " the dynamic linker cannot find: " + String.join(", ", missing) + " (LD_LIBRARY_PATH="
                    + System.getenv().getOrDefault("LD_LIBRARY_PATH", "") + "; first error: " + firstError
                    + "); the GPU image carries them in /opt/cuda/lib with LD_LIBRARY_PATH set, elsewhere install"
                    + " CUDA 12 and cuDNN 9 (or unpack org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist) and"
                    + " add their folder to LD_LIBRARY_PATH before the JVM starts");
        }
        String[] error = new String[1];
        int gpus = natives.deviceCount(error);
        if (gpus <= 0) {
            return new Status(0, "the CUDA libraries load but CUDA reports no usable GPU (cudaGetDeviceCount: "
                    + (gpus == 0 ? "0 devices" : error[0]) + "); run on a node with an NVIDIA GPU and a driver for"
                    + " CUDA 12 (525.60.13 or later), through the NVIDIA container runtime with a nvidia.com/gpu"
                    + " resource");
        }
        return new Status(gpus, null);
    }

    private static final class RealNatives implements Natives {

        @Override
        public boolean hasCudaProvider() {
            try {
                return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        @Override
        public String load(String soname) {
            try {
                NativeLibrary.getInstance(soname);
                return null;
            } catch (UnsatisfiedLinkError e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                // JNA lists every place it tried, one per line: keep the dynamic linker's own words.
                return java.util.Arrays.stream(m.split("\n")).map(String::strip)
                        .filter(l -> l.contains("cannot open shared object")).findFirst().orElse(m.strip());
            }
        }

        @Override
        public int deviceCount(String[] error) {
            NativeLibrary cudart = NativeLibrary.getInstance("libcudart.so.12");
            IntByReference count = new IntByReference();
            int code = cudart.getFunction("cudaGetDeviceCount").invokeInt(new Object[] {count});
            if (code == 0) {
                return count.getValue();
            }
            Function text = cudart.getFunction("cudaGetErrorString");
            Pointer p = (Pointer) text.invoke(Pointer.class, new Object[] {code});
            error[0] = "error " + code + (p == null ? "" : ", " + p.getString(0));
            return -code;
        }
    }
}
