package io.imageworker.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The models built into the application: listed with their SHA-256 in {@code /models/index.txt}
 * ({@code sha256sum} output) and unpacked into a cache folder on first use (DJL loads weights from
 * files). The unpacked folder is named by the files' checksums, so a new build with retrained
 * weights never reads a stale copy.
 */
final class ClasspathSource implements ModelSource {

    static final String INDEX = "/models/index.txt";

    private final Path cache;

    ClasspathSource(Path cache) {
        this.cache = cache;
    }

    @Override
    public String location() {
        return ModelRepository.CLASSPATH;
    }

    @Override
    public List<Version> versions() throws IOException {
        List<Version> out = new ArrayList<>();
        for (String[] entry : index()) {
            String[] parts = entry[1].split("/", 3);
            if (parts.length == 3 && !out.contains(new Version(parts[0], parts[1]))) {
                out.add(new Version(parts[0], parts[1]));
            }
        }
        return out;
    }

    /** Entries of the index: {sha256, name/version/file}. */
    static List<String[]> index() throws IOException {
        try (InputStream in = ClasspathSource.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+\\*?", 2)).toList();
        }
    }

    /** Copies a built-in model's files to the cache, once; a partial copy is never used. */
    @Override
    public synchronized Path fetch(String name, String version) throws IOException {
        String prefix = name + "/" + version + "/";
        List<String[]> files = index().stream().filter(e -> e[1].startsWith(prefix)).toList();
        StringBuilder sums = new StringBuilder();
        files.forEach(e -> sums.append(e[0]));
        Path dir = cache.resolve(name).resolve(version).resolve(Integer.toHexString(sums.toString().hashCode()));
        Path done = dir.resolve(".unpacked");
        if (Files.exists(done)) {
            return dir;
        }
        Files.createDirectories(dir);
        for (String[] entry : files) {
            String file = entry[1].substring(prefix.length());
            try (InputStream in = ClasspathSource.class.getResourceAsStream("/models/" + entry[1])) {
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
}
