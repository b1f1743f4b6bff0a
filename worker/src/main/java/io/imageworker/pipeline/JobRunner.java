package io.imageworker.pipeline;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.documents.DocumentLimits;
import io.imageworker.events.ItemError;
import io.imageworker.events.ItemResult;
import io.imageworker.imaging.ImageDecoder;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.imaging.ImageException;
import io.imageworker.imaging.Thumbnails;
import io.imageworker.observability.WorkerMetrics;
import io.imageworker.job.PlannedInput;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.StorageException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import io.imageworker.tasks.FeaturePlans;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.SubsamplesInput;

/**
 * Runs a planned job's items: each takes an item permit, is fetched on the I/O pool, decoded on the
 * CPU pool, served by the task (through the model's batcher), and gives back its permit. Every
 * failure stays with its item; the job's future always completes with one result per input, or one
 * per chosen page of an input that is a document its task reads ({@link DocumentItems}).
 */
final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    /**
     * What the items came to.
     *
     * @param thumbnails small previews of the first inputs, by item index, for the report
     */
    record Outcome(List<ItemResult> items, Map<Integer, Thumbnails.Thumbnail> thumbnails, long fetchNanos, long decodeNanos,
            long serveNanos) {}

    /** Inputs previewed in a job's report; larger jobs list the rest without pictures. */
    static final int THUMBNAILS = 500;
    static final int THUMBNAIL_SIZE = 128;

    private final ObjectStore store;
    private final ImageDecoder decoder;
    private final ItemPermits permits;
    private final Executor io;
    private final Executor cpu;
    private final long maxObjectBytes;
    private final WorkerMetrics metrics;
    private final String haltOnInput;
    private final DocumentItems documents;

    JobRunner(ObjectStore store, ImageDecoder decoder, ItemPermits permits, Executor io, Executor cpu,
            long maxObjectBytes, WorkerMetrics metrics, String haltOnInput, DocumentLimits documentLimits) {
        this.haltOnInput = haltOnInput;
        this.documents = new DocumentItems(documentLimits, cpu);
        this.store = store;
        this.decoder = decoder;
        this.permits = permits;
        this.io = io;
        this.cpu = cpu;
        this.maxObjectBytes = maxObjectBytes;
        this.metrics = metrics;
    }

    /** Hears about each finished item, and of the pages of the documents among them. */
    interface Progress extends DocumentItems.Pages {
        /** {@code done} items finished so far, {@code failed} of them with a failure. */
        void items(int done, int failed);
    }

    CompletableFuture<Outcome> run(JobPlan plan, ArtifactWriter artifacts, Progress progress) {
        int n = plan.inputs().size();
        // one result per input, or one per page of an input that is a document
        @SuppressWarnings("unchecked")
        List<ItemResult>[] results = new List[n];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong fetch = new AtomicLong();
        AtomicLong decode = new AtomicLong();
        AtomicLong serve = new AtomicLong();
        Map<Integer, Thumbnails.Thumbnail> thumbnails = new ConcurrentHashMap<>();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        if (n == 0) {
            outcome.complete(new Outcome(List.of(), Map.of(), 0, 0, 0));
            return outcome;
        }
        Runnable[] launch = new Runnable[1];
        AtomicInteger next = new AtomicInteger();
        launch[0] = () -> {
            int i = next.getAndIncrement();
            PlannedInput input = plan.inputs().get(i);
            item(plan, input, artifacts, thumbnails, fetch, decode, serve, progress).whenComplete((r, e) -> {
                permits.release();
                List<ItemResult> items = r != null ? r : List.of(failure(input, e));
                results[i] = items;
                boolean allGood = true;
                for (ItemResult result : items) {
                    metrics.item(plan.job().task(), result.status(), result.error() == null ? null : result.error().code());
                    allGood &= result.succeeded();
                }
                int bad = allGood ? failed.get() : failed.incrementAndGet();
                int finished = done.incrementAndGet();
                progress.items(finished, bad);
                if (finished == n) {
                    List<ItemResult> all = new ArrayList<>();
                    Arrays.stream(results).forEach(all::addAll);
                    outcome.complete(new Outcome(all, thumbnails, fetch.get(), decode.get(), serve.get()));
                }
            });
            if (i + 1 < n) {
                permits.acquire().thenRunAsync(launch[0], cpu);
            }
        };
        permits.acquire().thenRunAsync(launch[0], cpu);
        return outcome;
    }

    /** The input's result, or its pages' results when it is a document its task reads. */
    private CompletableFuture<List<ItemResult>> item(JobPlan plan, PlannedInput input, ArtifactWriter artifacts,
            Map<Integer, Thumbnails.Thumbnail> thumbnails, AtomicLong fetchNanos, AtomicLong decodeNanos, AtomicLong serveNanos,
            DocumentItems.Pages progress) {
        if (input.refusal() != null) {
            return CompletableFuture.completedFuture(List.of(ItemResult.failed(input.index(), input.uri(), input.id(),
                    new ItemError("not-allowed", input.refusal()))));
        }
        FeaturePlans.FileOutput file = DocumentItems.file(plan, input);
        String unreadable = file == null ? null : DocumentItems.unreadableType(file);
        if (unreadable != null) {
            return CompletableFuture.completedFuture(List.of(ItemResult.failed(input.index(), input.uri(), input.id(),
                    new ItemError("unsupported-format", unreadable))));
        }
        if (input.location() == null) {
            // an item the task makes itself (a generated sample): nothing to fetch
            return CompletableFuture.supplyAsync(() -> plan.handler().process(new ItemWork(plan, input, artifacts, cpu), null), cpu)
                    .thenCompose(f -> f).thenApply(List::of);
        }
        return fetch(input, fetchNanos).thenCompose(bytes -> {
            if (!documents.takes(plan, input, bytes)) {
                return image(plan, input, artifacts, bytes, thumbnails, decodeNanos, serveNanos).thenApply(List::of);
            }
            long t0 = System.nanoTime();
            return documents.serve(plan, input, artifacts, bytes, progress).thenCompose(pages -> pages != null
                    ? CompletableFuture.completedFuture(pages)
                    : image(plan, input, artifacts, bytes, thumbnails, decodeNanos, serveNanos).thenApply(List::of))
                    .whenComplete((r, e) -> serveNanos.addAndGet(System.nanoTime() - t0));
        });
    }

    private CompletableFuture<byte[]> fetch(PlannedInput input, AtomicLong fetchNanos) {
        return CompletableFuture.supplyAsync(() -> {
            if (haltOnInput != null && input.uri().contains(haltOnInput)) {
                LOG.errorf("fault injection: halting on %s", input.uri());
                Runtime.getRuntime().halt(137);
            }
            long t0 = System.nanoTime();
            try {
                byte[] bytes = store.read(input.location(), maxObjectBytes);
                long took = System.nanoTime() - t0;
                fetchNanos.addAndGet(took);
                metrics.fetch(bytes.length, took);
                return bytes;
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, io);
    }

    private CompletableFuture<ItemResult> image(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, byte[] bytes,
            Map<Integer, Thumbnails.Thumbnail> thumbnails, AtomicLong decodeNanos, AtomicLong serveNanos) {
        return CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                ImageDecoder.Decoded decoded = decoder.decodeDetailed(bytes, SubsamplesInput.of(plan));
                // Flattened once here: every task, overlay and preview reads opaque RGB, and would flatten again.
                BufferedImage image = Preprocessor.flatten(decoded.image());
                if (input.index() < THUMBNAILS) {
                    // the original file only when it shows what the models saw (not turned, not colour-converted,
                    // no transparency to flatten)
                    boolean original = decoded.asStored() && !decoded.image().getColorModel().hasAlpha();
                    thumbnails.put(input.index(), Thumbnails.of(image, original ? bytes : null, THUMBNAIL_SIZE));
                }
                decodeNanos.addAndGet(System.nanoTime() - t0);
                return new ImageDecoder.Decoded(image, decoded.format(), decoded.orientation(), decoded.converted(),
                        decoded.subsampling(), decoded.width(), decoded.height());
            } catch (ImageException e) {
                throw new CompletionException(e);
            }
        }, cpu).thenCompose(decoded -> {
            long t0 = System.nanoTime();
            ItemWork work = new ItemWork(plan, input, artifacts, cpu, decoded.subsampling(), decoded.width(), decoded.height());
            return plan.handler().process(work, decoded.image())
                    .whenComplete((r, e) -> serveNanos.addAndGet(System.nanoTime() - t0));
        });
    }

    /** The item's error from whatever stage failed. */
    static ItemResult failure(PlannedInput input, Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        ItemError error;
        if (cause instanceof ItemError.Coded coded) {
            error = coded.toItemError();
        } else {
            LOG.warnf(cause, "item %d (%s) failed in the model", input.index(), input.uri());
            error = new ItemError("inference-failed", "the model failed on this item: " + cause);
        }
        return ItemResult.failed(input.index(), input.uri(), input.id(), error);
    }
}
