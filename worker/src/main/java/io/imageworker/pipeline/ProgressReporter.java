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
 * Publishes progress events for jobs with many items, at most one per job per interval, plus one
 * when the last item finishes. Progress is informational: a lost progress event is logged, never
 * retried, and never holds up the job.
 */
final class ProgressReporter {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class);

    private final Publisher publisher;
    private final ObjectMapper json;
    private final String topic;
    private final String workerId;
    private final long intervalNanos;
    private final int minItems;
    private final CloudEventHeaders cloudEvents;

    /** @param cloudEvents the CloudEvents attributes every progress event carries in its headers */
    ProgressReporter(Publisher publisher, ObjectMapper json, String topic, String workerId, Duration interval,
            int minItems, CloudEventHeaders cloudEvents) {
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
        if (total < minItems) {
            return (done, failed) -> {};
        }
        long[] last = {System.nanoTime(), -1};
        return (done, failed) -> {
            long now = System.nanoTime();
            // Sent under the lock so that a job's progress events reach the topic in order.
            synchronized (last) {
                if (done > last[1] && (done == total || now - last[0] >= intervalNanos)) {
                    last[0] = now;
                    last[1] = done;
                    send(jobId, done, failed, total);
                }
            }
        };
    }

    private void send(String jobId, int done, int failed, int total) {
        Instant at = Instant.now();
        ObjectNode event = json.createObjectNode()
                .put("schema", EventSchemas.PROGRESS_ID).put("jobId", jobId).put("done", done).put("failed", failed)
                .put("total", total).put("workerId", workerId).put("at", at.toString());
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
