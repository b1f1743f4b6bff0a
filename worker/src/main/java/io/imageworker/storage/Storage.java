package io.imageworker.storage;

import io.imageworker.config.StorageConfig;
import io.imageworker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/** The object store client and location policy built from configuration, shared by the worker and the CLI. */
@ApplicationScoped
public class Storage {

    @Inject
    WorkerConfig config;

    private S3Client client;
    private ObjectStore store;
    private LocationPolicy policy;
    /** Told the operation of every request the shared client sends; set by the worker for its metrics. */
    private volatile java.util.function.Consumer<String> requests = op -> { };

    /**
     * The shared object store, its S3 client built on first call from {@code image-worker.storage}
     * (endpoint, region, path style, retries, call timeout; {@code fetch-concurrency + 8}
     * connections) and closed when the application stops.
     */
    public synchronized ObjectStore store() {
        if (store == null) {
            StorageConfig s = config.storage();
            client = S3ClientFactory.create(s.endpoint(), s.region(), s.pathStyle(), s.maxAttempts(), s.callTimeout(),
                    s.fetchConcurrency() + 8, op -> requests.accept(op));
            store = new ObjectStore(client);
        }
        return store;
    }

    /**
     * Sends the operation name ({@code GetObject}, {@code PutObject}, {@code HeadObject}, ...) of
     * every request the shared client sends from now on, retries included, to {@code listener}.
     */
    public void onRequest(java.util.function.Consumer<String> listener) {
        requests = listener;
    }

    /**
     * The shared location policy, built on first call from {@code image-worker.storage}: input
     * buckets, default output URI and allowed output prefixes.
     *
     * @throws IllegalArgumentException when a configured URI is not a valid {@code s3://} URI
     */
    public synchronized LocationPolicy policy() {
        if (policy == null) {
            StorageConfig s = config.storage();
            policy = new LocationPolicy(s.inputBuckets(), s.outputUri(), s.allowedOutputPrefixes().orElse(java.util.List.of()));
        }
        return policy;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
