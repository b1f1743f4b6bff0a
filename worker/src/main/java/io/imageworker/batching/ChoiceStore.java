package io.imageworker.batching;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One model's warm-up choice (batch size, inference threads) kept between starts, so that a restart
 * reuses it instead of timing the candidates again. The choice is kept with the key it depends on:
 * the model's files ({@code sha256} over the version folder), the engine and device, the CPU
 * (model name, cores the JVM may use, which follow a container's CPU limit), the engine's threads
 * ({@code OMP_NUM_THREADS}, ONNX Runtime's intra-op threads) and the search's own bounds (largest
 * batch, most threads, memory budget, the rule's version). An entry whose key differs in anything
 * (another model version, another machine kind, another limit) is measured afresh and replaced; an
 * unreadable entry too. One file per model id: {@code <folder>/<model id>.json}, written atomically.
 */
public final class ChoiceStore {

    private static final Logger LOG = Logger.getLogger(ChoiceStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Version of the search and its rule ({@link BatchChoice}, the memory bound): raise it when
     * they change, so that choices made by an older rule are measured again.
     */
    static final String RULE = "2";

    private final Path file;
    private final Map<String, String> key;

    /**
     * @param folder where choices are kept (created when the first is saved)
     * @param modelId the model's id ({@code name:version})
     * @param key what the choice depends on, beyond {@link #machine()} and the rule's version
     */
    public ChoiceStore(Path folder, String modelId, Map<String, String> key) {
        this.file = folder.resolve(modelId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        Map<String, String> k = new TreeMap<>(key);
        k.putAll(machine());
        k.put("rule", RULE);
        this.key = Map.copyOf(k);
    }

    /** The file this model's choice is kept in. */
    public Path file() {
        return file;
    }

    /** The key the choice is kept under. */
    public Map<String, String> key() {
        return key;
    }

    /**
     * The kept choice when its key is this one; empty when none is kept, it is unreadable, or it
     * was made for another key (the difference is logged).
     */
    public Optional<DynamicBatcher.Choice> find() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<?, ?> stored = JSON.readValue(file.toFile(), Map.class);
            Map<?, ?> storedKey = (Map<?, ?>) stored.get("key");
            if (!key.equals(storedKey)) {
                Map<String, String> differs = new TreeMap<>();
                for (String k : key.keySet()) {
                    Object was = storedKey == null ? null : storedKey.get(k);
                    if (!key.get(k).equals(was)) {
                        differs.put(k, was + " -> " + key.get(k));
                    }
                }
                LOG.infof("warm-up choice in %s was made for another key (%s): measuring again", file, differs);
                return Optional.empty();
            }
            Map<?, ?> c = (Map<?, ?>) stored.get("choice");
            Map<String, Double> candidates = new LinkedHashMap<>();
            ((Map<?, ?>) c.get("candidates")).forEach((k, v) -> candidates.put(k.toString(), ((Number) v).doubleValue()));
            return Optional.of(new DynamicBatcher.Choice(((Number) c.get("batchSize")).intValue(),
                    ((Number) c.get("threads")).intValue(), ((Number) c.get("itemsPerSecond")).doubleValue(), candidates));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("warm-up choice in %s cannot be read (%s): measuring again", file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Keeps {@code choice} under this key, replacing what was there (written to a temporary file
     * and moved, so that a reader never sees half a file).
     *
     * @throws IOException when the folder cannot be created or written
     */
    public void save(DynamicBatcher.Choice choice) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("batchSize", choice.batchSize());
        c.put("threads", choice.threads());
        c.put("itemsPerSecond", choice.itemsPerSecond());
        c.put("candidates", choice.candidates());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("key", new TreeMap<>(key));
        doc.put("choice", c);
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), doc);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * What a choice depends on in this machine: the CPU's model name ({@code /proc/cpuinfo}; the
     * architecture where it cannot be read), the cores the JVM may use (a container's CPU limit
     * included) and {@code OMP_NUM_THREADS}.
     */
    public static Map<String, String> machine() {
        Map<String, String> m = new TreeMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("ompNumThreads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // another system: the architecture is what is known
        }
        return System.getProperty("os.arch");
    }

    /**
     * SHA-256 over the regular files of {@code dir} (names and contents, in name order, sub-folders
     * included): a model version's identity, whatever its name.
     *
     * @throws IOException when a file cannot be read
     */
    public static String sha256(Path dir) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (var walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        byte[] buffer = new byte[1 << 16];
        for (Path f : files) {
            d.update(dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.update((byte) 0);
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    d.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
