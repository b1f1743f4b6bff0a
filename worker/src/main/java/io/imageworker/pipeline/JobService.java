package io.imageworker.pipeline;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemError;
import io.imageworker.events.JobRequest;
import io.imageworker.events.ResultEvent;
import io.imageworker.inference.ServedModel;
import io.imageworker.intake.JobHandler;
import io.imageworker.intake.JobEnvelope;
import io.imageworker.intake.JobParser;
import io.imageworker.intake.NotificationRules;
import io.imageworker.job.Rejection;
import io.imageworker.observability.JobTracing;
import io.imageworker.observability.WorkerMetrics;
import io.imageworker.planning.JobPlanner;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.storage.StorageException;
import io.imageworker.tasks.JobPlan;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Serves one job event end to end, as a line of stage calls: read (parse, or expand a notification),
 * route ({@link TaskRoutes}), plan ({@link JobPlanner}), run the items ({@link JobRunner}), write
 * {@code result.json} ({@link ResultWriter}) and answer the record ({@link Answers}: the result event,
 * a dead letter, or a forward to another pool). Whatever happens, the returned stage completes only
 * once a terminal event is acknowledged by the broker; it fails only when that is impossible, and
 * the intake then retries the job. Built by {@link JobServiceWiring}.
 */
public final class JobService implements JobHandler {

    private static final Logger LOG = Logger.getLogger(JobService.class);

    /**
     * How a record becomes a job.
     *
     * @param parser reads a job event
     * @param notificationTopic topic whose records are S3 event notifications, or null for none
     * @param notifications what those notifications become, or null for none
     * @param tracing the job's span, continued from the record's headers
     * @param faults faults injected at the intake's steps (tests of delivery guarantees)
     * @param metrics counts the jobs notifications make
     */
    record Reading(JobParser parser, String notificationTopic, NotificationRules notifications, JobTracing tracing,
            IntakeFaults faults, WorkerMetrics metrics) {}

    /**
     * How a planned job runs.
     *
     * @param runner fetches, decodes and serves each item
     * @param results writes a job's result files and its result event
     * @param progress reports a job's progress
     * @param permits the items in flight across jobs
     * @param io where planning and storage calls run
     */
    record Running(JobRunner runner, ResultWriter results, ProgressReporter progress, ItemPermits permits, Executor io) {}

    private final Reading reading;
    private final TaskRoutes routes;
    private final JobPlanner planner;
    private final JobRunner runner;
    private final ResultWriter results;
    private final ProgressReporter progress;
    private final ItemPermits permits;
    private final Executor io;
    private final Answers answers;
    /** Job ids in flight, to the record that brought them: a second record with the same id is a duplicate. */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();

    /**
     * @param reading how a record becomes a job
     * @param routes where each job is served (this worker, another pool, nowhere)
     * @param planner what a job served here becomes before it runs
     * @param running how a planned job runs
     * @param answers what answers each record; it must forward when {@code routes} has pools
     */
    JobService(Reading reading, TaskRoutes routes, JobPlanner planner, Running running, Answers answers) {
        if (!answers.forwards() && !routes.pools().isEmpty()) {
            throw new IllegalArgumentException("routes to pools need a publisher to forward jobs with");
        }
        this.reading = reading;
        this.routes = routes;
        this.planner = planner;
        this.runner = running.runner();
        this.results = running.results();
        this.progress = running.progress();
        this.permits = running.permits();
        this.io = running.io();
        this.answers = answers;
    }

    @Override
    public boolean hasCapacity() {
        return permits.hasFree();
    }

    @Override
    public CompletionStage<Void> handle(JobEnvelope record, int delivery) {
        if (reading.notifications() != null && record.topic().equals(reading.notificationTopic())) {
            return notification(record, delivery);
        }
        Instant received = Instant.now();
        Map<String, String> headers = record.textHeaders();
        reading.faults().at(IntakeFaults.HEADERS, headers);
        JobRequest parsed = null;
        Rejection invalid = null;
        try {
            reading.faults().at(IntakeFaults.PARSE, headers);
            parsed = reading.parser().parse(record);
        } catch (Rejection.Exception e) {
            invalid = e.rejection();
        }
        reading.faults().at(IntakeFaults.TRACE, headers);
        Span span = reading.tracing().start(headers, parsed != null ? parsed.jobId() : invalid.jobId(),
                parsed != null ? parsed.task() : null);
        Map<String, String> trace = reading.tracing().headers(span);
        if (parsed != null) {
            TaskRoutes.Route route = routes.route(parsed, headers.get(TaskRoutes.ROUTED_FROM));
            if (route instanceof TaskRoutes.Forward f) {
                return answers.forward(record, parsed, f.pool(), record.key(), record.value())
                        .whenComplete((v, e) -> reading.tracing().end(span, e == null ? "routed" : null, e));
            }
            if (route instanceof TaskRoutes.Refuse r) {
                CompletionStage<Void> refused = answers.reject(record, new Rejection(Rejection.NOT_SERVED, r.reason(), parsed.jobId()),
                        parsed, received, trace);
                return refused.whenComplete((v, e) -> reading.tracing().end(span, e == null ? "done" : null, e));
            }
        }
        CompletionStage<Void> done = invalid != null ? answers.reject(record, invalid, null, received, trace)
                : accept(record, parsed, delivery, received, trace, headers, false);
        return done.whenComplete((v, e) -> reading.tracing().end(span, e == null ? "done" : null, e));
    }

    /**
     * Serves a record of the notifications topic: each created image object a rule covers runs as a
     * job; the other records are counted and logged as skipped; a malformed document is
     * dead-lettered whole ({@code invalid-notification}) and none of it runs. Completes when every
     * job's terminal event is acknowledged.
     */
    private CompletionStage<Void> notification(JobEnvelope record, int delivery) {
        Instant received = Instant.now();
        Map<String, String> headers = record.textHeaders();
        List<NotificationRules.Outcome> outcomes;
        try {
            outcomes = reading.notifications().read(record.value());
        } catch (Rejection.Exception e) {
            return answers.reject(record, e.rejection(), null, received, Map.of());
        }
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        for (NotificationRules.Outcome o : outcomes) {
            if (o instanceof NotificationRules.Skip skip) {
                answers.skipped(record, skip.reason(), skip.detail());
                continue;
            }
            NotificationRules.Job made = (NotificationRules.Job) o;
            JobRequest job = made.request();
            reading.metrics().notificationJob(job.task());
            TaskRoutes.Route route = routes.route(job, null);
            if (route instanceof TaskRoutes.Forward f) {
                // The job as the rule made it, keyed by its id like any job event, to the pool's topic.
                jobs.add(answers.forward(record, job, f.pool(), job.jobId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        made.value()).toCompletableFuture());
                continue;
            }
            if (route instanceof TaskRoutes.Refuse r) {
                jobs.add(answers.reject(record, new Rejection(Rejection.NOT_SERVED, r.reason(), job.jobId()), job, received, Map.of())
                        .toCompletableFuture());
                continue;
            }
            Span span = reading.tracing().start(headers, job.jobId(), job.task());
            jobs.add(accept(record, job, delivery, received, reading.tracing().headers(span), headers, true)
                    .whenComplete((v, e) -> reading.tracing().end(span, e == null ? "done" : null, e)).toCompletableFuture());
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new));
    }

    /**
     * @param notification true for a job made from an S3 notification: a second one with its id (the
     *     same object version notified again) is skipped as {@code duplicate}, not dead-lettered
     */
    private CompletionStage<Void> accept(JobEnvelope record, JobRequest job, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers, boolean notification) {
        reading.faults().at(IntakeFaults.ACCEPT, headers);
        String origin = record.origin();
        String holder = inFlight.putIfAbsent(job.jobId(), origin);
        if (holder != null && !holder.equals(origin) && notification) {
            answers.skipped(record, NotificationRules.DUPLICATE, "job " + job.jobId() + " is in flight (from " + holder + ")");
            return CompletableFuture.completedFuture(null);
        }
        if (holder != null && !holder.equals(origin)) {
            return answers.reject(record, new Rejection(Rejection.DUPLICATE_JOB, "job id '" + job.jobId()
                    + "' is already in flight on this worker (from " + holder + "); job ids must be unique", job.jobId()),
                    job, received, trace);
        }
        return CompletableFuture.supplyAsync(() -> {
            reading.faults().at(IntakeFaults.PLAN, headers);
            return serve(record, job, origin, delivery, received, trace, headers, notification);
        }, io)
                .thenCompose(stage -> stage)
                .whenComplete((v, e) -> inFlight.remove(job.jobId(), origin));
    }

    private CompletionStage<Void> serve(JobEnvelope record, JobRequest job, String origin, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers, boolean notification) {
        if (job.deadline() != null && received.isAfter(job.deadline())) {
            ResultEvent expired = results.terminal(job, ResultEvent.EXPIRED,
                    new ItemError("expired", "the job's deadline " + job.deadline() + " passed before it was picked up"),
                    delivery, received);
            return answers.publish(record, expired, trace);
        }

        JobPlan plan;
        try {
            plan = planner.plan(job, origin);
        } catch (Rejection.Exception e) {
            return answers.reject(record, e.rejection(), job, received, trace);
        } catch (StorageException e) {
            return answers.terminal(record, job, new ItemError(e.code(), e.getMessage()), delivery, received, trace);
        } catch (IOException e) {
            return answers.terminal(record, job, new ItemError("model-unavailable", e.getMessage()), delivery, received,
                    trace);
        }
        // The job holds its model version until its result is out: an update swaps in a new one for the
        // jobs that follow, and this version closes only once this job (and the others on it) let go.
        List<ServedModel<?, ?>> held = JobPlanner.held(plan);
        try {
            return run(record, job, plan, delivery, received, trace, headers, notification)
                    .whenComplete((v, e) -> held.forEach(JobPlanner::release));
        } catch (RuntimeException e) {
            held.forEach(JobPlanner::release);
            throw e;
        }
    }

    private CompletionStage<Void> run(JobEnvelope record, JobRequest job, JobPlan plan, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers, boolean notification) {
        try {
            if (!results.createsResult(plan)) {
                results.rejectIfDone(plan);
            }
        } catch (Rejection.Exception e) {
            return answers.duplicate(record, job, e, received, trace, notification);
        } catch (StorageException e) {
            return answers.terminal(record, job, new ItemError(e.code(), e.getMessage()), delivery, received, trace);
        }
        ArtifactWriter artifacts = new ArtifactWriter(results.store(), plan.output(), io);
        JobRunner.Progress tracker = progress.track(job.jobId(), plan.inputs().size());
        return runner.run(plan, artifacts, tracker)
                .thenCompose(outcome -> results.finish(plan, outcome, artifacts, delivery, received))
                .<CompletionStage<Void>>handle((event, error) -> {
                    if (error != null) {
                        // A job whose conditional create of result.json found another record's: refused after its work.
                        Rejection.Exception refused = refusal(error);
                        if (refused == null) {
                            return CompletableFuture.<Void>failedFuture(error);
                        }
                        return answers.duplicate(record, job, refused, received, trace, notification);
                    }
                    reading.faults().at(IntakeFaults.PUBLISH, headers);
                    return answers.publish(record, event, trace);
                })
                .thenCompose(stage -> stage);
    }

    private static Rejection.Exception refusal(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Rejection.Exception r ? r : null;
    }

    @Override
    public CompletionStage<Void> exhausted(JobEnvelope record, String reason) {
        reading.faults().at(IntakeFaults.DEAD_LETTER, record.textHeaders());
        String jobId = null;
        JobRequest job = null;
        try {
            job = reading.parser().parse(record);
            jobId = job.jobId();
        } catch (Rejection.Exception e) {
            jobId = e.rejection().jobId();
        } catch (RuntimeException e) {
            // The parser itself may be what failed: dead-letter without a job id rather than not at all.
            LOG.warnf("job at %s/%d@%d: its job id could not be read (%s)", record.topic(), record.partition(),
                    record.offset(), e);
        }
        return answers.reject(record, new Rejection(Rejection.ATTEMPTS_EXHAUSTED, reason, jobId), job, Instant.now(), Map.of());
    }

    /** Jobs in flight on this worker. */
    public int jobsInFlight() {
        return inFlight.size();
    }
}
