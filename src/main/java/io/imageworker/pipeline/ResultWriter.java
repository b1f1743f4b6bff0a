package io.imageworker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.ItemError;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.events.ResultEvent;
import io.imageworker.intake.Rejection;
import io.imageworker.publish.EventPublisher;
import io.imageworker.storage.ObjectStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Turns a job's outcome into its result: {@code result.json} (every item) in object storage, then
 * the result event on Kafka, which carries the items too unless that would make it larger than the
 * configured limit; it then says {@code itemsOmitted} and points at {@code result.json}.
 */
final class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    static final String RESULT_FILE = "result.json";

    private final ObjectStore store;
    private final EventPublisher publisher;
    private final ObjectMapper json;
    private final String topic;
    private final String workerId;
    private final int maxInlineBytes;

    ResultWriter(ObjectStore store, EventPublisher publisher, ObjectMapper json, String topic, String workerId,
            int maxInlineBytes) {
        this.store = store;
        this.publisher = publisher;
        this.json = json;
        this.topic = topic;
        this.workerId = workerId;
        this.maxInlineBytes = maxInlineBytes;
    }

    ObjectStore store() {
        return store;
    }

    /** Writes result.json and completes with the event to publish. */
    CompletableFuture<ResultEvent> finish(JobPlan plan, JobRunner.Outcome outcome, ArtifactWriter artifacts, int attempt,
            Instant received) {
        List<ItemResult> items = outcome.items();
        int ok = (int) items.stream().filter(ItemResult::succeeded).count();
        ResultEvent.Summary summary = new ResultEvent.Summary(items.size(), ok, items.size() - ok);
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("totalMs", java.time.Duration.between(received, Instant.now()).toMillis());
        timings.put("fetchMs", outcome.fetchNanos() / 1_000_000);
        timings.put("decodeMs", outcome.decodeNanos() / 1_000_000);
        timings.put("serveMs", outcome.serveNanos() / 1_000_000);
        String resultUri = artifacts.prefix().resolve(RESULT_FILE).toString();
        ResultEvent event = new ResultEvent(EventSchemas.RESULT_ID, plan.job().jobId(), ResultEvent.statusOf(summary),
                plan.job().task(), modelRef(plan), summary, items, null, resultUri, artifacts.prefix().toString(), null,
                workerId, attempt, received.toString(), Instant.now().toString(), timings, metadata(plan.job()));
        byte[] body;
        try {
            body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return artifacts.write(RESULT_FILE, body, "application/json").handle((uri, error) -> {
            if (error == null) {
                return event;
            }
            LOG.warnf("result.json of job %s could not be written: %s", plan.job().jobId(), error.getMessage());
            return withError(event, ResultEvent.FAILED,
                    new ItemError("output-unavailable", "result.json could not be written to " + resultUri + ": "
                            + rootMessage(error)));
        });
    }

    /** A result with no items: expired, or failed before any item ran. */
    ResultEvent terminal(JobRequest job, String status, ItemError error, int attempt, Instant received) {
        return new ResultEvent(EventSchemas.RESULT_ID, job.jobId(), status, job.task(), null,
                new ResultEvent.Summary(0, 0, 0), List.of(), null, null, null, error, workerId, attempt,
                received.toString(), Instant.now().toString(), null, metadata(job));
    }

    /** The result that tells a submitter its event was dead-lettered. */
    ResultEvent rejected(String jobId, JobRequest job, Rejection r, Instant received) {
        return new ResultEvent(EventSchemas.RESULT_ID, jobId, ResultEvent.REJECTED, job == null ? null : job.task(), null,
                new ResultEvent.Summary(0, 0, 0), null, null, null, null, new ItemError(r.code(), r.reason()), workerId,
                null, received.toString(), Instant.now().toString(), null, job == null ? null : metadata(job));
    }

    /** Publishes {@code event}, without its items if they would make it too large. */
    CompletableFuture<Void> publish(ResultEvent event) throws JsonProcessingException {
        byte[] value = json.writeValueAsBytes(event);
        if (value.length > maxInlineBytes && event.items() != null) {
            value = json.writeValueAsBytes(new ResultEvent(event.schema(), event.jobId(), event.status(), event.task(),
                    event.model(), event.summary(), null, true, event.resultUri(), event.outputUri(), event.error(),
                    event.workerId(), event.attempt(), event.receivedAt(), event.finishedAt(), event.timings(),
                    event.metadata()));
        }
        return publisher.send(topic, event.jobId(), value, List.of(
                EventPublisher.header("content-type", "application/json"),
                EventPublisher.header("schema", EventSchemas.RESULT_ID)));
    }

    private static ResultEvent withError(ResultEvent e, String status, ItemError error) {
        return new ResultEvent(e.schema(), e.jobId(), status, e.task(), e.model(), e.summary(), e.items(), e.itemsOmitted(),
                null, e.outputUri(), error, e.workerId(), e.attempt(), e.receivedAt(), e.finishedAt(), e.timings(),
                e.metadata());
    }

    private static ResultEvent.ModelRef modelRef(JobPlan plan) {
        return plan.model() == null ? null
                : new ResultEvent.ModelRef(plan.model().card().name(), plan.model().card().version());
    }

    private static Map<String, String> metadata(JobRequest job) {
        return job.metadata() == null || job.metadata().isEmpty() ? null : job.metadata();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
