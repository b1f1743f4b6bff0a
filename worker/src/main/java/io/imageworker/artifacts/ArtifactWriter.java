package io.imageworker.artifacts;

import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.storage.StorageException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Writes a job's artifacts under its output prefix, each as one whole object at a deterministic
 * key, so that a redelivered job overwrites the same keys and readers never see half a file.
 */
public final class ArtifactWriter {

    private final ObjectStore store;
    private final S3Location prefix;
    private final Executor io;

    /**
     * @param store where the artifacts are written
     * @param prefix the job's output prefix ({@code s3://bucket/key/}); artifact names are appended
     *     to it
     * @param io the executor that runs the blocking writes
     */
    public ArtifactWriter(ObjectStore store, S3Location prefix, Executor io) {
        this.store = store;
        this.prefix = prefix;
        this.io = io;
    }

    /** The job's output prefix every artifact is written under. */
    public S3Location prefix() {
        return prefix;
    }

    /** A writer to the same store on the same executor under another prefix (a feature's folder, a destination the job named). */
    public ArtifactWriter at(S3Location otherPrefix) {
        return new ArtifactWriter(store, otherPrefix, io);
    }

    /** Writes {@code body} at {@code prefix + name} off the caller's thread; completes with its URI. */
    public CompletableFuture<String> write(String name, byte[] body, String contentType) {
        return write(name, body, contentType, Map.of());
    }

    /** As {@link #write(String, byte[], String)}, with user metadata on the object. */
    public CompletableFuture<String> write(String name, byte[] body, String contentType, Map<String, String> metadata) {
        S3Location loc = prefix.resolve(name);
        return CompletableFuture.supplyAsync(() -> {
            try {
                store.write(loc, body, contentType, metadata);
                return loc.toString();
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, io);
    }

    /**
     * Creates {@code prefix + name} only if there is no object there (a conditional PUT, see
     * {@link ObjectStore#create}); completes with true when this call created it, false when one was
     * already there.
     */
    public CompletableFuture<Boolean> create(String name, byte[] body, String contentType, Map<String, String> metadata) {
        S3Location loc = prefix.resolve(name);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return store.create(loc, body, contentType, metadata);
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, io);
    }

    /** The user metadata of {@code prefix + name}, or empty when there is no such object (one HEAD). */
    public CompletableFuture<java.util.Optional<Map<String, String>>> metadata(String name) {
        S3Location loc = prefix.resolve(name);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return store.head(loc);
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, io);
    }

    /**
     * Key of an item's artifact: {@code items/<index>/<name>}, the index zero-padded to 5 digits
     * ({@code items/00042/mask.png}).
     */
    public static String itemKey(int index, String name) {
        return "items/" + String.format("%05d", index) + "/" + name;
    }
}
