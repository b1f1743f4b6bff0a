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
 * application, the CPU natives of MXNet, the built-in models). Exit 1 with the reasons otherwise.
 * Usage: java CheckImage.java IMAGE.tar
 */
public class CheckImage {

    public static void main(String[] args) throws Exception {
        Map<String, byte[]> outer = entries(Files.newInputStream(Path.of(args[0])), true);
        String manifest = text(outer.get("manifest.json"));
        String configName = field(manifest, "Config");
        String config = text(outer.get(configName));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : outer.entrySet()) {
            if (e.getKey().endsWith(".tar.gz")) {
                files.addAll(entries(new GZIPInputStream(new java.io.ByteArrayInputStream(e.getValue())), false).keySet());
            }
        }
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
        if (!problems.isEmpty()) {
            System.err.println("image check failed: " + problems);
            System.exit(1);
        }
        System.out.println("image ok: " + files.size() + " files in " + (outer.size() - 2) + " layers, non-root, MXNet CPU natives inside");
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

    /** Entry name to body (bodies kept only when {@code keep}). */
    static Map<String, byte[]> entries(InputStream in, boolean keep) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (in) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                byte[] body = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                String full = prefix.isEmpty() ? name : prefix + "/" + name;
                out.put(full, keep ? body : new byte[0]);
            }
        }
        return out;
    }

}
