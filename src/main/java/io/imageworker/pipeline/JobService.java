package io.imageworker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemError;
import io.imageworker.events.JobRequest;
import io.imageworker.events.ResultEvent;
import io.imageworker.inference.ModelServer;
import io.imageworker.inference.ServedModel;
import io.imageworker.intake.JobConsumer;
import io.imageworker.intake.JobParser;
import io.imageworker.intake.JobEnvelope;
import io.imageworker.intake.Rejection;
import io.imageworker.models.UnknownModelException;
import io.imageworker.observability.JobTracing;
import io.imageworker.observability.WorkerMetrics;
import io.opentelemetry.api.trace.Span;
import io.imageworker.planning.InputPlanner;
import io.imageworker.publish.DeadLetters;
import io.imageworker.storage.LocationPolicy;
import io.imageworker.storage.S3Location;
import io.imageworker.storage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.JobPlan;

/**
 * Serves one job event end to end: parse, plan, run the items, write {@code result.json}, publish
 * the result event. Whatever happens, the returned stage completes only once a terminal event (a
 * result, or a dead letter) is acknowledged by the broker; it fails only when that is impossible,
 * and the intake then retries the job.
 */
public final class JobService implements JobConsumer.Handler {

    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final JobParser parser;
    private final Tasks tasks;
    private final ModelServer models;
    private final LocationPolicy policy;
    private final InputPlanner planner;
    private final JobRunner runner;
    private final ResultWriter results;
    private final DeadLetters deadLetters;
    private final ProgressReporter progress;
    private final ItemPermits permits;
    private final Executor io;
    private final WorkerMetrics metrics;
    private final JobTracing tracing;
    private final String workerId;
    private final IntakeFaults faults;
    /** Job ids in flight, to the record that brought them: a second record with the same id is a duplicate. */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();

    JobService(JobParser parser, Tasks tasks, ModelServer models,
            LocationPolicy policy, InputPlanner planner, JobRunner runner, ResultWriter results, DeadLetters deadLetters,
            ProgressReporter progress, ItemPermits permits, Executor io, WorkerMetrics metrics, JobTracing tracing,
            String workerId, IntakeFaults faults) {
        this.faults = faults;
        this.tracing = tracing;
        this.parser = parser;
        this.tasks = tasks;
        this.models = models;
        this.policy = policy;
        this.planner = planner;
        this.runner = runner;
        this.results = results;
        this.deadLetters = deadLetters;
        this.progress = progress;
        this.permits = permits;
        this.io = io;
        this.metrics = metrics;
        this.workerId = workerId;
    }

    @Override
    public boolean hasCapacity() {
        return permits.hasFree();
    }

    @Override
    public CompletionStage<Void> handle(JobEnvelope record, int delivery) {
        Instant received = Instant.now();
        Map<String, String> headers = record.textHeaders();
        faults.at(IntakeFaults.HEADERS, headers);
        JobRequest parsed = null;
        Rejection invalid = null;
        try {
            faults.at(IntakeFaults.PARSE, headers);
            parsed = parser.parse(record.value());
        } catch (Rejection.Exception e) {
            invalid = e.rejection();
        }
        faults.at(IntakeFaults.TRACE, headers);
        Span span = tracing.start(headers, parsed != null ? parsed.jobId() : invalid.jobId(),
                parsed != null ? parsed.task() : null);
        Map<String, String> trace = tracing.headers(span);
        CompletionStage<Void> done = invalid != null ? reject(record, invalid, null, received, trace)
                : accept(record, parsed, delivery, received, trace, headers);
        return done.whenComplete((v, e) -> tracing.end(span, e == null ? "done" : null, e));
    }

    private CompletionStage<Void> accept(JobEnvelope record, JobRequest job, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers) {
        faults.at(IntakeFaults.ACCEPT, headers);
        String origin = record.origin();
        String holder = inFlight.putIfAbsent(job.jobId(), origin);
        if (holder != null && !holder.equals(origin)) {
            return reject(record, new Rejection(Rejection.DUPLICATE_JOB, "job id '" + job.jobId()
                    + "' is already in flight on this worker (from " + holder + "); job ids must be unique", job.jobId()),
                    job, received, trace);
        }
        return CompletableFuture.supplyAsync(() -> {
            faults.at(IntakeFaults.PLAN, headers);
            return serve(record, job, origin, delivery, received, trace, headers);
        }, io)
                .thenCompose(stage -> stage)
                .whenComplete((v, e) -> inFlight.remove(job.jobId(), origin));
    }

    private CompletionStage<Void> serve(JobEnvelope record, JobRequest job, String origin, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers) {
        if (job.deadline() != null && received.isAfter(job.deadline())) {
            ResultEvent expired = results.terminal(job, ResultEvent.EXPIRED,
                    new ItemError("expired", "the job's deadline " + job.deadline() + " passed before it was picked up"),
                    delivery, received);
            return publish(record, expired, trace);
        }

        JobPlan plan;
        try {
            plan = plan(job, origin);
            rejectIfDone(plan);
        } catch (Rejection.Exception e) {
            return reject(record, e.rejection(), job, received, trace);
        } catch (StorageException e) {
            return publish(record, results.terminal(job, ResultEvent.FAILED, new ItemError(e.code(), e.getMessage()), delivery,
                    received), trace);
        } catch (IOException e) {
            return publish(record, results.terminal(job, ResultEvent.FAILED, new ItemError("model-unavailable",
                    e.getMessage()), delivery, received), trace);
        }
        ArtifactWriter artifacts = new ArtifactWriter(results.store(), plan.output(), io);
        JobRunner.Progress tracker = progress.track(job.jobId(), plan.inputs().size());
        return runner.run(plan, artifacts, tracker)
                .thenCompose(outcome -> results.finish(plan, outcome, artifacts, delivery, received))
                .thenCompose(event -> {
                    faults.at(IntakeFaults.PUBLISH, headers);
                    return publish(record, event, trace);
                });
    }

    /**
     * A job whose result.json already exists from another record is a second job with the same id:
     * refused, so it cannot overwrite the first one's artifacts. From the same record it is a
     * redelivery, served again (it overwrites the same keys with the same content).
     */
    private void rejectIfDone(JobPlan plan) throws Rejection.Exception, StorageException {
        Optional<Map<String, String>> done = results.store().head(plan.output().resolve(ResultWriter.RESULT_FILE));
        String earlier = done.map(m -> m.get(ResultWriter.SOURCE)).orElse(null);
        if (earlier != null && !earlier.equals(plan.source())) {
            throw Rejection.exception(Rejection.DUPLICATE_JOB, "job id '" + plan.job().jobId()
                    + "' was already served (from " + earlier + ", results at " + plan.output()
                    + "); job ids must be unique", plan.job().jobId());
        }
    }

    private JobPlan plan(JobRequest job, String source) throws Rejection.Exception, StorageException, IOException {
        TaskHandler handler = tasks.byName().get(job.task());
        if (handler == null) {
            throw Rejection.exception(Rejection.INVALID_JOB,
                    "task '" + job.task() + "' is not served by this worker (it serves " + tasks.byName().keySet() + ")", job.jobId());
        }
        ServedModel<?, ?> model = handler.usesModel() ? model(job) : null;
        handler.validate(job, model);
        S3Location output;
        try {
            output = policy.output(job.outputUri(), job.jobId());
        } catch (IllegalArgumentException e) {
            throw Rejection.exception(Rejection.NOT_ALLOWED, e.getMessage(), job.jobId());
        }
        List<InputPlanner.PlannedInput> inputs = handler.items(job);
        if (inputs == null) {
            inputs = planner.plan(job);
        }
        return new JobPlan(job, model, handler, output, inputs, source);
    }

    /** The job's model, or the task's default; loaded on first use. */
    private ServedModel<?, ?> model(JobRequest job) throws Rejection.Exception, IOException {
        String ref = job.model() != null ? job.model() : tasks.defaultModel(job.task());
        if (ref == null) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL,
                    "the job names no model and the worker has no default model for " + job.task(), job.jobId());
        }
        ServedModel<?, ?> model;
        try {
            model = models.get(ref);
        } catch (UnknownModelException e) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, e.getMessage(), job.jobId());
        }
        if (!model.card().task().equals(job.task())) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, "model " + model.card().id()
                    + " does " + model.card().task() + ", not " + job.task(), job.jobId());
        }
        return model;
    }

    @Override
    public CompletionStage<Void> exhausted(JobEnvelope record, String reason) {
        faults.at(IntakeFaults.DEAD_LETTER, record.textHeaders());
        String jobId = null;
        JobRequest job = null;
        try {
            job = parser.parse(record.value());
            jobId = job.jobId();
        } catch (Rejection.Exception e) {
            jobId = e.rejection().jobId();
        } catch (RuntimeException e) {
            // The parser itself may be what failed: dead-letter without a job id rather than not at all.
            LOG.warnf("job at %s/%d@%d: its job id could not be read (%s)", record.topic(), record.partition(),
                    record.offset(), e);
        }
        return reject(record, new Rejection(Rejection.ATTEMPTS_EXHAUSTED, reason, jobId), job, Instant.now(), Map.of());
    }

    /** Dead-letters the record and, when the job id is known, tells the submitter on the results topic. */
    private CompletionStage<Void> reject(JobEnvelope record, Rejection rejection, JobRequest job,
            Instant received, Map<String, String> trace) {
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

    /** Publishes {@code event}, the answer to {@code record}. */
    private CompletionStage<Void> publish(JobEnvelope record, ResultEvent event, Map<String, String> trace) {
        metrics.job(event.task(), event.status());
        try {
            return results.publish(event, trace, record);
        } catch (JsonProcessingException e) {
            throw new CompletionException(e);
        }
    }

    /** Jobs in flight on this worker. */
    public int jobsInFlight() {
        return inFlight.size();
    }

}
