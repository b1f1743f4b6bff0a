package io.imageworker.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.publish.CloudEventHeaders;
import io.imageworker.publish.Publisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Publishes progress events for jobs with many items or long documents, at most one per job per
 * interval, plus one when the last item finishes. A job reports from the start when it has at least
 * {@code minItems} items, and from the moment its documents opened so far have at least
 * {@code minPages} pages between them; its events then carry {@code pages} (pages done of the pages
 * known), so that a job of one 50-page PDF, one item, shows its pages going by. Progress is
 * informational: a lost progress event is logged, never retried, and never holds up the job.
 */
final class ProgressReporter {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class);

    private final Publisher publisher;
    private final ObjectMapper json;
    private final String topic;
    private final String workerId;
    private final long intervalNanos;
    private final int minItems;
    private final int minPages;
    private final CloudEventHeaders cloudEvents;

    /**
     * @param minItems the fewest items of a job that reports progress
     * @param minPages the fewest document pages (of the documents a job has opened) that make it report progress
     * @param cloudEvents the CloudEvents attributes every progress event carries in its headers
     */
    ProgressReporter(Publisher publisher, ObjectMapper json, String topic, String workerId, Duration interval,
            int minItems, int minPages, CloudEventHeaders cloudEvents) {
        this.minPages = minPages;
        this.cloudEvents = cloudEvents;
        this.publisher = publisher;
        this.json = json;
        this.topic = topic;
        this.workerId = workerId;
        this.intervalNanos = interval.toNanos();
        this.minItems = minItems;
    }

    /** A tracker for one job of {@code total} items. */
    JobRunner.Progress track(String jobId, int total) {
        return new Tracker(jobId, total);
    }

    /** One job's counts; sent under its lock so that a job's progress events reach the topic in order. */
    private final class Tracker implements JobRunner.Progress {
        private final String jobId;
        private final int total;
        private int done;
        private int failed;
        private int pages;
        private int pagesDone;
        private long last = System.nanoTime();
        private int sentDone = -1;
        private int sentPages = -1;

        Tracker(String jobId, int total) {
            this.jobId = jobId;
            this.total = total;
        }

        @Override
        public synchronized void items(int itemsDone, int itemsFailed) {
            // items finish on several threads: a smaller count arriving late is older news
            done = Math.max(done, itemsDone);
            failed = Math.max(failed, itemsFailed);
            maybeSend();
        }

        @Override
        public synchronized void opened(int documentPages) {
            pages += documentPages;
        }

        @Override
        public synchronized void done() {
            pagesDone++;
            maybeSend();
        }

        private void maybeSend() {
            if (total < minItems && pages < minPages) {
                return;
            }
            long now = System.nanoTime();
            boolean moved = done > sentDone || pagesDone > sentPages;
            if (moved && (done == total || now - last >= intervalNanos)) {
                last = now;
                sentDone = done;
                sentPages = pagesDone;
                send(jobId, done, failed, total, pages > 0 ? new int[] {pagesDone, pages} : null);
            }
        }
    }

    /** @param pages pages done and pages known of the job's documents, or null for a job that opened none */
    private void send(String jobId, int done, int failed, int total, int[] pages) {
        Instant at = Instant.now();
        ObjectNode event = json.createObjectNode()
                .put("schema", EventSchemas.PROGRESS_ID).put("jobId", jobId).put("done", done).put("failed", failed)
                .put("total", total);
        if (pages != null) {
            event.putObject("pages").put("done", pages[0]).put("total", pages[1]);
        }
        event.put("workerId", workerId).put("at", at.toString());
        try {
            byte[] value = json.writeValueAsBytes(event);
            publisher.send(topic, jobId.getBytes(java.nio.charset.StandardCharsets.UTF_8), value,
                    cloudEvents.headers(CloudEventHeaders.PROGRESS_TYPE, jobId, at, EventSchemas.PROGRESS_ID, value))
                    .exceptionally(e -> {
                        LOG.debugf("progress event of %s not sent: %s", jobId, e.getMessage());
                        return null;
                    });
        } catch (Exception e) {
            LOG.debugf("progress event of %s not sent: %s", jobId, e.getMessage());
        }
    }
}
