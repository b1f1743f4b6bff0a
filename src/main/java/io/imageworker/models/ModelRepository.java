package io.imageworker.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A model repository: {@code <name>/<version>/} folders, each with weights and {@code model.json}.
 * Either a folder on disk, or the models built into the application ({@code classpath}), which are
 * listed with their SHA-256 in {@code /models/index.txt} ({@code sha256sum} output) and unpacked
 * into a cache folder on first use (DJL loads weights from files). The unpacked folder is named by
 * the files' checksums, so a new build with retrained weights never reads a stale copy.
 */
public final class ModelRepository {

    /** The location that means "the models inside the application". */
    public static final String CLASSPATH = "classpath";
    static final String INDEX = "/models/index.txt";

    private final String location;
    private final Path root;
    private final boolean builtIn;

    private ModelRepository(String location, Path root, boolean builtIn) {
        this.location = location;
        this.root = root;
        this.builtIn = builtIn;
    }

    /**
     * Opens {@code location}: {@code classpath} or a folder.
     *
     * @param cacheDir where built-in models are unpacked
     */
    public static ModelRepository open(String location, Path cacheDir) {
        if (CLASSPATH.equals(location)) {
            return new ModelRepository(location, cacheDir.resolve("builtin"), true);
        }
        Path dir = Path.of(location);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model repository " + location + " is not a folder");
        }
        return new ModelRepository(location, dir, false);
    }

    public String location() {
        return location;
    }

    /** A model version folder on local disk, with its card. */
    public record Resolved(ModelCard card, Path dir) {}

    /**
     * The folder of {@code ref} ({@code name} for its highest version, or {@code name:version}).
     *
     * @throws UnknownModelException when the repository has no such model
     */
    public Resolved resolve(String ref) throws IOException {
        String name = ref;
        String version = null;
        int colon = ref.indexOf(':');
        if (colon >= 0) {
            name = ref.substring(0, colon);
            version = ref.substring(colon + 1);
        }
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".") || (version != null && !version.matches("[A-Za-z0-9._-]+"))
                || (version != null && version.startsWith("."))) {
            throw new UnknownModelException("'" + ref + "' is not a model reference (name or name:version)");
        }
        List<String> versions = versions(name);
        if (versions.isEmpty()) {
            throw new UnknownModelException("no model '" + name + "' in repository " + location + " (it has: " + names() + ")");
        }
        String chosen = version == null ? versions.get(versions.size() - 1) : version;
        if (!versions.contains(chosen)) {
            throw new UnknownModelException("model '" + name + "' has no version '" + chosen + "' (it has: " + versions + ")");
        }
        Path dir = builtIn ? unpack(name, chosen) : root.resolve(name).resolve(chosen);
        return new Resolved(ModelLoader.readCard(dir), dir);
    }

    /** Model names in the repository. */
    public List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        for (String[] entry : entries()) {
            if (!out.contains(entry[0])) {
                out.add(entry[0]);
            }
        }
        return out;
    }

    /** Versions of {@code name}, lowest first (numeric versions compare as numbers). */
    public List<String> versions(String name) throws IOException {
        List<String> out = new ArrayList<>();
        for (String[] entry : entries()) {
            if (entry[0].equals(name) && !out.contains(entry[1])) {
                out.add(entry[1]);
            }
        }
        out.sort(VERSION_ORDER);
        return out;
    }

    static final Comparator<String> VERSION_ORDER = (a, b) -> {
        boolean na = a.matches("\\d{1,9}");
        boolean nb = b.matches("\\d{1,9}");
        if (na && nb) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    };

    /** (name, version, file) for every file of the repository. */
    private List<String[]> entries() throws IOException {
        List<String[]> out = new ArrayList<>();
        if (builtIn) {
            for (String[] line : builtInIndex()) {
                String[] parts = line[1].split("/", 3);
                if (parts.length == 3) {
                    out.add(parts);
                }
            }
            return out;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path n : names.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> versions = Files.list(n)) {
                    versions.filter(v -> Files.isRegularFile(v.resolve(ModelLoader.CARD_FILE))).sorted()
                            .forEach(v -> out.add(new String[] {
                                n.getFileName().toString(), v.getFileName().toString(), ModelLoader.CARD_FILE}));
                }
            }
        }
        return out;
    }

    /** Entries of the built-in index: {sha256, name/version/file}. */
    static List<String[]> builtInIndex() throws IOException {
        try (InputStream in = ModelRepository.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+\\*?", 2)).toList();
        }
    }

    /** Copies a built-in model's files to the cache, once; a partial copy is never used. */
    private synchronized Path unpack(String name, String version) throws IOException {
        String prefix = name + "/" + version + "/";
        List<String[]> files = builtInIndex().stream().filter(e -> e[1].startsWith(prefix)).toList();
        StringBuilder sums = new StringBuilder();
        files.forEach(e -> sums.append(e[0]));
        Path dir = root.resolve(name).resolve(version).resolve(Integer.toHexString(sums.toString().hashCode()));
        Path done = dir.resolve(".unpacked");
        if (Files.exists(done)) {
            return dir;
        }
        Files.createDirectories(dir);
        for (String[] entry : files) {
            String file = entry[1].substring(prefix.length());
            try (InputStream in = ModelRepository.class.getResourceAsStream("/models/" + entry[1])) {
                if (in == null) {
                    throw new IOException("built-in model file /models/" + entry[1] + " is missing from the application");
                }
                Path tmp = Files.createTempFile(dir, file, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.writeString(done, "");
        return dir;
    }

    /** The default cache folder: {@code $DJL_CACHE_DIR/image-worker} or {@code ~/.image-worker/models}. */
    public static Path defaultCacheDir(Optional<String> configured) {
        return configured.map(Path::of).orElseGet(() -> {
            String djl = System.getenv("DJL_CACHE_DIR");
            return djl != null ? Path.of(djl, "image-worker") : Path.of(System.getProperty("user.home"), ".image-worker", "models");
        });
    }

}
