package io.imageworker.bench;

import io.imageworker.storage.S3Location;
import io.imageworker.training.metrics.DocumentSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * 6. Documents: {@code text} jobs of scanned PDFs (A5 pages drawn at 300 dpi, {@link DocumentSet#scans}) of
 * one page and of many, on one worker as deployed: pages per second (a job's pages over its time from
 * produce to result) and the worker's resident memory, sampled every 100 ms while each job runs, against
 * its resident memory before the job. Pages are rendered and read one at a time, so the peak should not
 * grow with the page count.
 */
final class DocumentsMeasure extends Measure {

    DocumentsMeasure(BenchHarness harness) {
        super(harness);
    }

    void run(BenchSetup shared) throws Exception {
        String bucket = config.storage().inputBuckets().get(0);
        int[] lengths = quick ? new int[] {1, 3} : new int[] {1, 10, 40};
        Map<Integer, String> uris = new HashMap<>();
        for (int pages : lengths) {
            S3Location loc = new S3Location(bucket, "bench/documents/scan-" + pages + ".pdf");
            shared.store().write(loc, DocumentSet.scans(pages, DocumentSet.SEED + pages), "application/pdf");
            uris.put(pages, loc.toString());
        }
        Map<String, String> env = new HashMap<>(shared.deployed());
        env.put("IMAGE_WORKER_MODELS_PRELOAD", "text");
        List<String> tt = topics("documents");
        try (WorkerLauncher w = worker("documents", env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
            run(d, w, uris.get(1), 1); // warm-up: the first page pays for the JIT and the models' first calls
            long[] first = null;
            for (int pages : lengths) {
                long[] m = run(d, w, uris.get(pages), pages);
                if (first == null) {
                    first = m;
                }
                double seconds = m[0] / 1e9;
                row(DOCUMENTS, "documents", "text job of a " + pages + "-page scanned PDF (A5 at 300 dpi, 1748 x 2480 px a page)",
                        fmt2(pages / seconds) + " pages/s", String.format("peak RSS %d MiB, +%d MiB over the %d MiB before the job%s",
                                m[2] >> 20, (m[2] - m[1]) >> 20, m[1] >> 20, pages == lengths[0] ? ""
                                        : String.format("; %+d MiB against the 1-page job's peak", (m[2] - first[2]) >> 20)));
            }
        }
        phase("documents");
    }

    /** One job of the document's pages: {nanoseconds, RSS before, peak RSS while it ran}. */
    private long[] run(JobDriver d, WorkerLauncher w, String uri, int pages) throws Exception {
        long before = w.rssBytes();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    peak.accumulateAndGet(w.rssBytes(), Math::max);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (java.io.IOException e) {
                    return; // the worker is gone: the job's await says so
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            String id = JobDriver.jobId("doc");
            String list = IntStream.rangeClosed(1, pages).mapToObj(Integer::toString).collect(Collectors.joining(","));
            long t0 = System.nanoTime();
            d.send(id, "{\"jobId\":\"" + id + "\",\"task\":\"text\",\"inputs\":[{\"uri\":\"" + uri + "\"}],\"options\":{\"pages\":["
                    + list + "]}}");
            d.flush();
            JobDriver.Run r = d.await(List.of(id), pages, t0, Duration.ofMinutes(5 + pages));
            if (r.failedItems() > 0) {
                throw new IllegalStateException(r.failedItems() + " of " + pages + " pages failed in the documents measure");
            }
            return new long[] {(long) (r.seconds() * 1e9), before, peak.get()};
        } finally {
            sampler.interrupt();
            sampler.join(1000);
        }
    }
}
