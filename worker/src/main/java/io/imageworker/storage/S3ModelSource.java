package io.imageworker.storage;

import io.imageworker.models.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Models under an {@code s3://} prefix ({@code <prefix><name>/<version>/model.json} and weights),
 * downloaded into the cache on first use: into a temporary folder first, then moved into place,
 * so a half-downloaded model is never loaded.
 */
public final class S3ModelSource implements ModelSource {

    private static final long MAX_FILE_BYTES = 2L << 30;

    private final ObjectStore store;
    private final S3Location prefix;
    private final Path cache;

    /**
     * @param store the object store models are listed and read through (files up to 2 GiB each)
     * @param uri the {@code s3://} prefix holding {@code <name>/<version>/} folders; a trailing '/'
     *     is added when missing
     * @param cache the model cache folder; downloads go to
     *     {@code <cache>/s3/<bucket>/<key with '/' as '_'>/<name>/<version>/}
     * @throws IllegalArgumentException when {@code uri} is not a valid {@code s3://} URI
     */
    public S3ModelSource(ObjectStore store, String uri, Path cache) {
        S3Location loc = S3Location.parse(uri);
        this.prefix = loc.isPrefix() ? loc : new S3Location(loc.bucket(), loc.key() + "/");
        this.store = store;
        this.cache = cache.resolve("s3").resolve(prefix.bucket()).resolve(prefix.key().replace('/', '_'));
    }

    @Override
    public String location() {
        return prefix.toString();
    }

    @Override
    public List<Version> versions() throws IOException {
        List<Version> out = new ArrayList<>();
        for (S3Location o : list(prefix)) {
            String rest = o.key().substring(prefix.key().length());
            String[] parts = rest.split("/");
            if (parts.length == 3 && parts[2].equals("model.json")) {
                out.add(new Version(parts[0], parts[1]));
            }
        }
        return out;
    }

    @Override
    public synchronized Path fetch(String name, String version) throws IOException {
        Path dir = cache.resolve(name).resolve(version);
        if (Files.exists(dir.resolve(".downloaded"))) {
            return dir;
        }
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), version + ".part");
        S3Location folder = prefix.resolve(name + "/" + version + "/");
        try {
            for (S3Location o : list(folder)) {
                String file = o.key().substring(folder.key().length());
                if (file.isEmpty() || file.contains("/")) {
                    continue;
                }
                Files.write(tmp.resolve(file), store.read(o, MAX_FILE_BYTES));
            }
            Files.writeString(tmp.resolve(".downloaded"), folder.toString());
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (StorageException e) {
            deleteTree(tmp);
            throw new IOException("cannot download model " + name + ":" + version + " from " + folder + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Deletes the downloaded copy of {@code name:version}, if any: the next fetch downloads it again. */
    @Override
    public synchronized void evict(String name, String version) throws IOException {
        deleteTree(cache.resolve(name).resolve(version));
    }

    private List<S3Location> list(S3Location under) throws IOException {
        List<S3Location> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ObjectStore.Page page = store.list(under, token, 1000);
                out.addAll(page.objects());
                token = page.nextToken();
            } while (token != null);
        } catch (StorageException e) {
            throw new IOException("cannot list models under " + under + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
