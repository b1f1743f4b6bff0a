package io.imageworker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imageworker.events.ItemError;
import io.imageworker.events.JobRequest;
import io.imageworker.events.ResultEvent;
import io.imageworker.intake.JobEnvelope;
import io.imageworker.intake.NotificationRules;
import io.imageworker.job.Rejection;
import io.imageworker.observability.WorkerMetrics;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.publish.DeadLetters;
import io.imageworker.publish.Publisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The last stage of a job's path: what answers a consumed record. A result event, a dead letter
 * (and a {@code rejected} result for its submitter), a skip (a notification that makes no job), or
 * the record forwarded to another pool's topic. Each returned stage completes once the broker
 * acknowledged the answer.
 */
final class Answers {

    private static final Logger LOG = Logger.getLogger(Answers.class);

    private final ResultWriter results;
    private final DeadLetters deadLetters;
    private final WorkerMetrics metrics;
    private final Publisher forwarder;

    /**
     * @param results writes result events (and {@code rejected} ones for refused jobs)
     * @param deadLetters where refused records go
     * @param metrics counts jobs, dead letters, skips and routed jobs
     * @param forwarder sends jobs routed to another pool (transactional in exactly-once mode, with the
     *     consumed offset); null when no pool is configured
     */
    Answers(ResultWriter results, DeadLetters deadLetters, WorkerMetrics metrics, Publisher forwarder) {
        this.results = results;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.forwarder = forwarder;
    }

    /** True when jobs can be forwarded to other pools. */
    boolean forwards() {
        return forwarder != null;
    }

    /** Publishes {@code event}, the answer to {@code record}. */
    CompletionStage<Void> publish(JobEnvelope record, ResultEvent event, Map<String, String> trace) {
        metrics.job(event.task(), event.status());
        try {
            return results.publish(event, trace, record);
        } catch (JsonProcessingException e) {
            throw new CompletionException(e);
        }
    }

    /** Publishes that {@code job} failed as a whole with {@code error} (a store or model it cannot reach), answering {@code record}. */
    CompletionStage<Void> terminal(JobEnvelope record, JobRequest job, ItemError error, int delivery, Instant received,
            Map<String, String> trace) {
        return publish(record, results.terminal(job, ResultEvent.FAILED, error, delivery, received), trace);
    }

    /** Dead-letters the record and, when the job id is known, tells the submitter on the results topic. */
    CompletionStage<Void> reject(JobEnvelope record, Rejection rejection, JobRequest job, Instant received,
            Map<String, String> trace) {
        LOG.infof("rejected event %s/%d@%d: %s (%s)", record.topic(), record.partition(), record.offset(),
                rejection.code(), rejection.reason());
        metrics.deadLetter(rejection.code());
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(new java.util.AbstractMap.SimpleImmutableEntry<>(h.key(), h.value())));
        CompletableFuture<Void> dead = deadLetters.send(new DeadLetters.Origin(record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.key(), record.value(), headers),
                rejection.code(), rejection.reason(), rejection.jobId());
        if (rejection.jobId() == null || Rejection.DUPLICATE_JOB.equals(rejection.code())) {
            // No result under a duplicate's id: it would shadow the real job's result for consumers keyed by id.
            return dead;
        }
        ResultEvent rejected = results.rejected(rejection.jobId(), job, rejection, received);
        return dead.thenCombine(publish(record, rejected, trace).toCompletableFuture(), (a, b) -> null);
    }

    /** A refused job: a notification of an object version already analysed is skipped, anything else dead-lettered. */
    CompletionStage<Void> duplicate(JobEnvelope record, JobRequest job, Rejection.Exception e, Instant received,
            Map<String, String> trace, boolean notification) {
        if (notification && Rejection.DUPLICATE_JOB.equals(e.rejection().code())) {
            // A redelivered notification of an object version already analysed: skipped, not dead-lettered.
            skipped(record, NotificationRules.DUPLICATE, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return reject(record, e.rejection(), job, received, trace);
    }

    /** Counts and logs a notification (or a job made of one) that is skipped: nothing is sent. */
    void skipped(JobEnvelope record, String reason, String detail) {
        metrics.notificationSkipped(reason);
        LOG.debugf("notification %s skipped (%s): %s", record.origin(), reason, detail);
    }

    /**
     * Sends {@code job} to {@code pool}'s jobs topic: {@code key} and {@code value} as given, the
     * record's headers as they came plus where it was routed from and to. Answers {@code record}
     * (in exactly-once mode the send commits with its offset); completes once acknowledged.
     */
    CompletionStage<Void> forward(JobEnvelope record, JobRequest job, TaskRoutes.Pool pool, byte[] key, byte[] value) {
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        record.headers().forEach(h -> {
            if (!h.key().equals(TaskRoutes.ROUTED_FROM) && !h.key().equals(TaskRoutes.ROUTED_TO)) {
                headers.add(new java.util.AbstractMap.SimpleImmutableEntry<>(h.key(), h.value()));
            }
        });
        headers.add(Publisher.header(TaskRoutes.ROUTED_FROM, record.origin()));
        headers.add(Publisher.header(TaskRoutes.ROUTED_TO, pool.name()));
        metrics.routed(job.task(), pool.name());
        LOG.debugf("job %s (%s) from %s routed to pool %s (%s)", job.jobId(), job.task(), record.origin(), pool.name(),
                pool.topic());
        return forwarder.answering(record.topic(), record.partition(), record.offset()).send(pool.topic(), key, value, headers);
    }
}
