import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Checks a worker image tar (docker-archive) without a container runtime: non-root user, the
 * application's entrypoint and port, the engine settings, and the files that must be inside (the
 * application, the CPU natives of MXNet, the built-in models); with {@code --gpu}, also ONNX Runtime's
 * GPU jar, the CUDA libraries in /opt/cuda/lib and LD_LIBRARY_PATH, and without it that no CUDA
 * library slipped into the CPU image. Exit 1 with the reasons otherwise.
 * Usage: java CheckImage.java IMAGE.tar [--gpu]
 */
public class CheckImage {

    /** Sonames the GPU image must hold in /opt/cuda/lib (what libonnxruntime_providers_cuda.so loads). */
    static final List<String> CUDA_LIBS = List.of("libcudart.so.12", "libcublasLt.so.12", "libcublas.so.12",
            "libcufft.so.11", "libcurand.so.10", "libnvrtc.so.12", "libcudnn.so.9");

    public static void main(String[] args) throws Exception {
        boolean gpu = args.length > 1 && args[1].equals("--gpu");
        Map<String, byte[]> outer = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        int[] layers = {0};
        // Layers are read as they stream past (a GPU image's CUDA layer is 1.8 GiB): only the small
        // JSON entries are kept.
        walk(Files.newInputStream(Path.of(args[0])), (name, size, in) -> {
            if (name.endsWith(".tar.gz")) {
                layers[0]++;
                walk(new GZIPInputStream(in), (inner, innerSize, body) -> files.add(inner));
            } else if (name.endsWith(".json")) {
                outer.put(name, in.readAllBytes());
            }
        });
        String manifest = text(outer.get("manifest.json"));
        String configName = field(manifest, "Config");
        String config = text(outer.get(configName));
        List<String> problems = new ArrayList<>();
        check(problems, config.contains("\"User\":\"185\""), "runs as uid 185 (non-root)");
        check(problems, config.contains("\"quarkus-run.jar\""), "entrypoint runs quarkus-run.jar");
        check(problems, config.contains("8080/tcp"), "exposes 8080");
        check(problems, config.contains("DJL_OFFLINE=true"), "DJL_OFFLINE=true");
        check(problems, config.contains("DJL_CACHE_DIR=/cache/djl"), "caches under /cache");
        check(problems, files.stream().anyMatch(f -> f.endsWith("/quarkus-run.jar")), "contains quarkus-run.jar");
        check(problems, files.stream().anyMatch(f -> f.contains("mxnet-native-mkl-1.9.1-linux-x86_64.jar")),
                "contains the MXNet CPU natives");
        check(problems, files.stream().anyMatch(f -> f.contains("mxnet-engine")), "contains the DJL MXNet engine");
        // The worker's artifact is the worker (docs/architecture.md, "Modules"): no tools, no training data.
        check(problems, files.stream().noneMatch(f -> f.contains("image-worker-tools") || f.contains("image-worker-datasets")),
                "carries neither the tools (train, evaluate, import, bench, submit) nor their datasets");
        if (gpu) {
            check(problems, config.contains("LD_LIBRARY_PATH=/opt/cuda/lib"), "LD_LIBRARY_PATH=/opt/cuda/lib");
            check(problems, files.stream().anyMatch(f -> f.contains("onnxruntime_gpu-1.22.0.jar")),
                    "contains ONNX Runtime's GPU jar");
            check(problems, files.stream().noneMatch(f -> f.matches(".*/onnxruntime-1[.0-9]+\\.jar")),
                    "holds no CPU ONNX Runtime jar beside it");
            for (String lib : CUDA_LIBS) {
                check(problems, files.stream().anyMatch(f -> f.endsWith("opt/cuda/lib/" + lib)), "contains /opt/cuda/lib/" + lib);
            }
        } else {
            check(problems, files.stream().noneMatch(f -> f.contains("opt/cuda/")), "holds no CUDA libraries (CPU image)");
        }
        if (!problems.isEmpty()) {
            System.err.println("image check failed: " + problems);
            System.exit(1);
        }
        System.out.println("image ok: " + files.size() + " files in " + layers[0] + " layers, non-root, MXNet CPU natives inside"
                + (gpu ? ", ONNX Runtime GPU jar and the CUDA libraries in /opt/cuda/lib" : ", no CUDA libraries"));
    }

    static void check(List<String> problems, boolean ok, String what) {
        if (!ok) {
            problems.add(what);
        }
    }

    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(i, json.indexOf('"', i));
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    interface Entry {
        void read(String name, long size, InputStream body) throws IOException;
    }

    /** Calls {@code each} for every entry of the tar on {@code in}, with a stream bounded to its body. */
    static void walk(InputStream in, Entry each) throws IOException {
        try (in) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                String full = prefix.isEmpty() ? name : prefix + "/" + name;
                Bounded body = new Bounded(in, size);
                each.read(full, size, body);
                body.skipRest();
                in.skipNBytes((512 - size % 512) % 512);
            }
        }
    }

    /** The next {@code left} bytes of a stream; closing it leaves the outer stream open. */
    static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }

        @Override
        public void close() {}
    }

}
