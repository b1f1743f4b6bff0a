package io.imageworker.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where models come from: one or more sources of {@code <name>/<version>/} folders, each with
 * weights and {@code model.json}, searched in order (the first source that has a model's name
 * serves it). A location is {@code classpath} (the models built into the application), a folder,
 * or, from the worker, an {@code s3://} prefix.
 */
public final class ModelRepository {

    /** The location that means "the models inside the application". */
    public static final String CLASSPATH = "classpath";

    private final List<ModelSource> sources;

    /**
     * @param sources searched in this order; copied
     * @throws IllegalArgumentException when {@code sources} is empty
     */
    public ModelRepository(List<ModelSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a model repository needs at least one location");
        }
        this.sources = List.copyOf(sources);
    }

    /**
     * Opens comma-separated locations ({@code classpath}, folders).
     *
     * @param cacheDir where built-in models are unpacked
     */
    public static ModelRepository open(String locations, Path cacheDir) {
        return open(locations, cacheDir, l -> {
            throw new IllegalArgumentException("model repository " + l + " is neither 'classpath' nor a folder");
        });
    }

    /**
     * Opens comma-separated locations; {@code remote} makes the sources of {@code s3://} ones.
     *
     * @param cacheDir where built-in models are unpacked and remote ones downloaded
     */
    public static ModelRepository open(String locations, Path cacheDir, Function<String, ModelSource> remote) {
        List<ModelSource> sources = new ArrayList<>();
        for (String raw : locations.split(",")) {
            String l = raw.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.equals(CLASSPATH)) {
                sources.add(new ClasspathSource(cacheDir.resolve("builtin")));
            } else if (l.startsWith("s3://")) {
                sources.add(remote.apply(l));
            } else {
                sources.add(new FolderSource(Path.of(l)));
            }
        }
        return new ModelRepository(sources);
    }

    /**
     * The sources' locations, comma-separated in search order (as {@link #open} takes them), for
     * messages.
     */
    public String location() {
        return String.join(",", sources.stream().map(ModelSource::location).toList());
    }

    /** A model version folder on local disk, with its card. */
    public record Resolved(ModelCard card, Path dir) {}

    /**
     * The folder of {@code ref} ({@code name} for its highest version, or {@code name:version}).
     *
     * @throws UnknownModelException when no source has it
     */
    public Resolved resolve(String ref) throws IOException {
        String name = ref;
        String version = null;
        int colon = ref.indexOf(':');
        if (colon >= 0) {
            name = ref.substring(0, colon);
            version = ref.substring(colon + 1);
        }
        if (!safe(name) || (version != null && !safe(version))) {
            throw new UnknownModelException("'" + ref + "' is not a model reference (name or name:version)");
        }
        for (ModelSource source : sources) {
            List<String> versions = versions(source, name);
            if (versions.isEmpty()) {
                continue;
            }
            String chosen = version == null ? versions.get(versions.size() - 1) : version;
            if (!versions.contains(chosen)) {
                throw new UnknownModelException("model '" + name + "' has no version '" + chosen + "' in "
                        + source.location() + " (it has: " + versions + ")");
            }
            Path dir = source.fetch(name, chosen);
            return new Resolved(ModelLoader.readCard(dir), dir);
        }
        throw new UnknownModelException("no model '" + name + "' in repository " + location() + " (it has: " + names() + ")");
    }

    private static boolean safe(String part) {
        return part.matches("[A-Za-z0-9._-]+") && !part.startsWith(".");
    }

    /** Model names across all sources. */
    public List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        for (ModelSource s : sources) {
            for (ModelSource.Version v : s.versions()) {
                if (!out.contains(v.name())) {
                    out.add(v.name());
                }
            }
        }
        return out;
    }

    /**
     * Every model name with its versions, as {@link #resolve} sees them: from the first source that
     * has the name, lowest first. One listing per source.
     */
    public java.util.Map<String, List<String>> catalog() throws IOException {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (ModelSource s : sources) {
            java.util.Map<String, List<String>> here = new java.util.LinkedHashMap<>();
            for (ModelSource.Version v : s.versions()) {
                if (!out.containsKey(v.name())) {
                    List<String> list = here.computeIfAbsent(v.name(), n -> new ArrayList<>());
                    if (!list.contains(v.version())) {
                        list.add(v.version());
                    }
                }
            }
            here.values().forEach(l -> l.sort(VERSION_ORDER));
            out.putAll(here);
        }
        return out;
    }

    /**
     * Drops any local copy of {@code name:version} the source serving {@code name} made, so that it
     * is read again next time (see {@link ModelSource#evict}).
     */
    public void evict(String name, String version) throws IOException {
        for (ModelSource s : sources) {
            if (!versions(s, name).isEmpty()) {
                s.evict(name, version);
                return;
            }
        }
    }

    /** Versions of {@code name} in the first source that has it, lowest first (numeric ones as numbers). */
    public List<String> versions(String name) throws IOException {
        for (ModelSource s : sources) {
            List<String> v = versions(s, name);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return List.of();
    }

    private static List<String> versions(ModelSource source, String name) throws IOException {
        List<String> out = new ArrayList<>();
        for (ModelSource.Version v : source.versions()) {
            if (v.name().equals(name) && !out.contains(v.version())) {
                out.add(v.version());
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

    /** Entries of the built-in index: {sha256, name/version/file}. */
    public static List<String[]> builtInIndex() throws IOException {
        return ClasspathSource.index();
    }

    /** The default cache folder: {@code $DJL_CACHE_DIR/image-worker} or {@code ~/.image-worker/models}. */
    public static Path defaultCacheDir(Optional<String> configured) {
        return configured.map(Path::of).orElseGet(() -> {
            String djl = System.getenv("DJL_CACHE_DIR");
            return djl != null ? Path.of(djl, "image-worker") : Path.of(System.getProperty("user.home"), ".image-worker", "models");
        });
    }
}
