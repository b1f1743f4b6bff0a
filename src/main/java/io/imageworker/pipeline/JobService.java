package io.imageworker.pipeline;

import io.imageworker.job.PlannedInput;
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
import io.imageworker.intake.NotificationRules;
import io.imageworker.job.Rejection;
import io.imageworker.models.UnknownModelException;
import io.imageworker.observability.JobTracing;
import io.imageworker.observability.WorkerMetrics;
import io.opentelemetry.api.trace.Span;
import io.imageworker.planning.InputPlanner;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.publish.Publisher;
import io.imageworker.publish.DeadLetters;
import io.imageworker.storage.LocationPolicy;
import io.imageworker.storage.S3Location;
import io.imageworker.storage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.FeaturePlans;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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
    /** Topic of S3 event notifications, or null when they are not read. */
    private final String notificationTopic;
    private final NotificationRules notifications;
    /** Where each job is served: here, another pool's topic, or nowhere. */
    private final TaskRoutes routes;
    /** Sends routed jobs (transactional in exactly-once mode, with the consumed offset); null without pools. */
    private final Publisher forwarder;

    JobService(JobParser parser, Tasks tasks, ModelServer models,
            LocationPolicy policy, InputPlanner planner, JobRunner runner, ResultWriter results, DeadLetters deadLetters,
            ProgressReporter progress, ItemPermits permits, Executor io, WorkerMetrics metrics, JobTracing tracing,
            String workerId, IntakeFaults faults) {
        this(parser, tasks, models, policy, planner, runner, results, deadLetters, progress, permits, io, metrics, tracing,
                workerId, faults, null, null);
    }

    /**
     * @param notificationTopic topic whose records are S3 event notifications, or null for none
     * @param notifications what those notifications become, or null for none
     */
    JobService(JobParser parser, Tasks tasks, ModelServer models,
            LocationPolicy policy, InputPlanner planner, JobRunner runner, ResultWriter results, DeadLetters deadLetters,
            ProgressReporter progress, ItemPermits permits, Executor io, WorkerMetrics metrics, JobTracing tracing,
            String workerId, IntakeFaults faults, String notificationTopic, NotificationRules notifications) {
        this(parser, tasks, models, policy, planner, runner, results, deadLetters, progress, permits, io, metrics, tracing,
                workerId, faults, notificationTopic, notifications,
                TaskRoutes.none(tasks.byName().keySet(), tasks.known().keySet(), tasks.taskByVisionFeature()), null);
    }

    /**
     * @param routes where each job is served (this worker, another pool, nowhere)
     * @param forwarder what sends a job routed to another pool's topic; may be null when {@code routes} has no pool
     */
    JobService(JobParser parser, Tasks tasks, ModelServer models,
            LocationPolicy policy, InputPlanner planner, JobRunner runner, ResultWriter results, DeadLetters deadLetters,
            ProgressReporter progress, ItemPermits permits, Executor io, WorkerMetrics metrics, JobTracing tracing,
            String workerId, IntakeFaults faults, String notificationTopic, NotificationRules notifications,
            TaskRoutes routes, Publisher forwarder) {
        if (forwarder == null && !routes.pools().isEmpty()) {
            throw new IllegalArgumentException("routes to pools need a publisher to forward jobs with");
        }
        this.routes = routes;
        this.forwarder = forwarder;
        this.notificationTopic = notificationTopic;
        this.notifications = notifications;
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
        if (notifications != null && record.topic().equals(notificationTopic)) {
            return notification(record, delivery);
        }
        Instant received = Instant.now();
        Map<String, String> headers = record.textHeaders();
        faults.at(IntakeFaults.HEADERS, headers);
        JobRequest parsed = null;
        Rejection invalid = null;
        try {
            faults.at(IntakeFaults.PARSE, headers);
            parsed = parser.parse(record);
        } catch (Rejection.Exception e) {
            invalid = e.rejection();
        }
        faults.at(IntakeFaults.TRACE, headers);
        Span span = tracing.start(headers, parsed != null ? parsed.jobId() : invalid.jobId(),
                parsed != null ? parsed.task() : null);
        Map<String, String> trace = tracing.headers(span);
        if (parsed != null) {
            TaskRoutes.Route route = routes.route(parsed, headers.get(TaskRoutes.ROUTED_FROM));
            if (route instanceof TaskRoutes.Forward f) {
                return forward(record, parsed, f.pool(), record.key(), record.value())
                        .whenComplete((v, e) -> tracing.end(span, e == null ? "routed" : null, e));
            }
            if (route instanceof TaskRoutes.Refuse r) {
                CompletionStage<Void> refused = reject(record, new Rejection(Rejection.NOT_SERVED, r.reason(), parsed.jobId()),
                        parsed, received, trace);
                return refused.whenComplete((v, e) -> tracing.end(span, e == null ? "done" : null, e));
            }
        }
        CompletionStage<Void> done = invalid != null ? reject(record, invalid, null, received, trace)
                : accept(record, parsed, delivery, received, trace, headers, false);
        return done.whenComplete((v, e) -> tracing.end(span, e == null ? "done" : null, e));
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
            outcomes = notifications.read(record.value());
        } catch (Rejection.Exception e) {
            return reject(record, e.rejection(), null, received, Map.of());
        }
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        for (NotificationRules.Outcome o : outcomes) {
            if (o instanceof NotificationRules.Skip skip) {
                skipped(record, skip.reason(), skip.detail());
                continue;
            }
            NotificationRules.Job made = (NotificationRules.Job) o;
            JobRequest job = made.request();
            metrics.notificationJob(job.task());
            TaskRoutes.Route route = routes.route(job, null);
            if (route instanceof TaskRoutes.Forward f) {
                // The job as the rule made it, keyed by its id like any job event, to the pool's topic.
                jobs.add(forward(record, job, f.pool(), job.jobId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        made.value()).toCompletableFuture());
                continue;
            }
            if (route instanceof TaskRoutes.Refuse r) {
                jobs.add(reject(record, new Rejection(Rejection.NOT_SERVED, r.reason(), job.jobId()), job, received, Map.of())
                        .toCompletableFuture());
                continue;
            }
            Span span = tracing.start(headers, job.jobId(), job.task());
            jobs.add(accept(record, job, delivery, received, tracing.headers(span), headers, true)
                    .whenComplete((v, e) -> tracing.end(span, e == null ? "done" : null, e)).toCompletableFuture());
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new));
    }

    /**
     * Sends {@code job} to {@code pool}'s jobs topic: {@code key} and {@code value} as given, the
     * record's headers as they came plus where it was routed from and to. Answers {@code record}
     * (in exactly-once mode the send commits with its offset); completes once acknowledged.
     */
    private CompletionStage<Void> forward(JobEnvelope record, JobRequest job, TaskRoutes.Pool pool, byte[] key, byte[] value) {
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

    private void skipped(JobEnvelope record, String reason, String detail) {
        metrics.notificationSkipped(reason);
        LOG.debugf("notification %s skipped (%s): %s", record.origin(), reason, detail);
    }

    /**
     * @param notification true for a job made from an S3 notification: a second one with its id (the
     *     same object version notified again) is skipped as {@code duplicate}, not dead-lettered
     */
    private CompletionStage<Void> accept(JobEnvelope record, JobRequest job, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers, boolean notification) {
        faults.at(IntakeFaults.ACCEPT, headers);
        String origin = record.origin();
        String holder = inFlight.putIfAbsent(job.jobId(), origin);
        if (holder != null && !holder.equals(origin) && notification) {
            skipped(record, NotificationRules.DUPLICATE, "job " + job.jobId() + " is in flight (from " + holder + ")");
            return CompletableFuture.completedFuture(null);
        }
        if (holder != null && !holder.equals(origin)) {
            return reject(record, new Rejection(Rejection.DUPLICATE_JOB, "job id '" + job.jobId()
                    + "' is already in flight on this worker (from " + holder + "); job ids must be unique", job.jobId()),
                    job, received, trace);
        }
        return CompletableFuture.supplyAsync(() -> {
            faults.at(IntakeFaults.PLAN, headers);
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
            return publish(record, expired, trace);
        }

        JobPlan plan;
        try {
            plan = plan(job, origin);
        } catch (Rejection.Exception e) {
            return reject(record, e.rejection(), job, received, trace);
        } catch (StorageException e) {
            return publish(record, results.terminal(job, ResultEvent.FAILED, new ItemError(e.code(), e.getMessage()), delivery,
                    received), trace);
        } catch (IOException e) {
            return publish(record, results.terminal(job, ResultEvent.FAILED, new ItemError("model-unavailable",
                    e.getMessage()), delivery, received), trace);
        }
        // The job holds its model version until its result is out: an update swaps in a new one for the
        // jobs that follow, and this version closes only once this job (and the others on it) let go.
        List<ServedModel<?, ?>> held = held(plan);
        try {
            return run(record, job, plan, delivery, received, trace, headers, notification)
                    .whenComplete((v, e) -> held.forEach(JobService::release));
        } catch (RuntimeException e) {
            held.forEach(JobService::release);
            throw e;
        }
    }

    /** The model versions a plan holds: its own, those it compares with it, and an annotate job's features' models. */
    private static List<ServedModel<?, ?>> held(JobPlan plan) {
        List<ServedModel<?, ?>> held = new ArrayList<>();
        if (plan.model() != null) {
            held.add(plan.model());
        }
        held.addAll(plan.compared());
        if (plan.features() != null) {
            plan.features().byRequest().values().forEach(f -> {
                if (f.plan() != null && f.plan().model() != null) {
                    held.add(f.plan().model());
                }
            });
        }
        return held;
    }

    private static void release(ServedModel<?, ?> model) {
        if (model != null) {
            model.release();
        }
    }

    private CompletionStage<Void> run(JobEnvelope record, JobRequest job, JobPlan plan, int delivery,
            Instant received, Map<String, String> trace, Map<String, String> headers, boolean notification) {
        try {
            if (!results.createsResult(plan)) {
                rejectIfDone(plan);
            }
        } catch (Rejection.Exception e) {
            return duplicate(record, job, e, received, trace, notification);
        } catch (StorageException e) {
            return publish(record, results.terminal(job, ResultEvent.FAILED, new ItemError(e.code(), e.getMessage()), delivery,
                    received), trace);
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
                        return duplicate(record, job, refused, received, trace, notification);
                    }
                    faults.at(IntakeFaults.PUBLISH, headers);
                    return publish(record, event, trace);
                })
                .thenCompose(stage -> stage);
    }

    /** A refused job: a notification of an object version already analysed is skipped, anything else dead-lettered. */
    private CompletionStage<Void> duplicate(JobEnvelope record, JobRequest job, Rejection.Exception e, Instant received,
            Map<String, String> trace, boolean notification) {
        if (notification && Rejection.DUPLICATE_JOB.equals(e.rejection().code())) {
            // A redelivered notification of an object version already analysed: skipped, not dead-lettered.
            skipped(record, NotificationRules.DUPLICATE, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return reject(record, e.rejection(), job, received, trace);
    }

    private static Rejection.Exception refusal(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Rejection.Exception r ? r : null;
    }

    /**
     * A job whose result.json already exists from another record is a second job with the same id:
     * refused, so it cannot overwrite the first one's artifacts. From the same record it is a
     * redelivery, served again (it overwrites the same keys with the same content). One HEAD before
     * the work; a job that writes only result.json skips it where the store honours conditional
     * writes and finds the same out when it creates result.json (see {@link ResultWriter#createsResult}).
     */
    private void rejectIfDone(JobPlan plan) throws Rejection.Exception, StorageException {
        Optional<Map<String, String>> done = results.store().head(plan.output().resolve(ResultWriter.RESULT_FILE));
        String earlier = done.map(m -> m.get(ResultWriter.SOURCE)).orElse(null);
        if (earlier != null && !earlier.equals(plan.source())) {
            throw ResultWriter.duplicate(plan, earlier);
        }
    }

    private JobPlan plan(JobRequest job, String source) throws Rejection.Exception, StorageException, IOException {
        TaskHandler handler = tasks.byName().get(job.task());
        if (handler == null) {
            throw Rejection.exception(Rejection.INVALID_JOB,
                    "task '" + job.task() + "' is not served by this worker (it serves " + tasks.byName().keySet() + ")", job.jobId());
        }
        ServedModel<?, ?> model = handler.usesModel() ? model(job) : null;
        List<ServedModel<?, ?>> compared = new ArrayList<>();
        try {
            handler.validate(job, model);
            compare(job, handler, model, compared);
            S3Location output;
            try {
                output = policy.output(job.outputUri(), job.jobId());
            } catch (IllegalArgumentException e) {
                throw Rejection.exception(Rejection.NOT_ALLOWED, e.getMessage(), job.jobId());
            }
            List<PlannedInput> inputs = handler.items(job);
            if (inputs == null) {
                inputs = planner.plan(job);
            }
            FeaturePlans features = JobRequest.ANNOTATE.equals(job.task()) ? features(job, output, inputs, source) : null;
            return new JobPlan(job, model, handler, output, inputs, source, features, compared);
        } catch (Rejection.Exception | StorageException | IOException | RuntimeException e) {
            release(model);
            compared.forEach(JobService::release);
            throw e;
        }
    }

    /**
     * Loads the models {@code job} compares with its own ({@link TaskHandler#comparedModels}) into
     * {@code into}, each with a use held (the caller releases them when planning fails): each must
     * be of the job's task, pass the task's checks, and be a version neither the job's model nor
     * another compared one is.
     */
    private void compare(JobRequest job, TaskHandler handler, ServedModel<?, ?> model, List<ServedModel<?, ?>> into)
            throws Rejection.Exception, IOException {
        List<String> refs = handler.comparedModels(job);
        if (refs.isEmpty()) {
            return;
        }
        if (model == null) {
            throw Rejection.exception(Rejection.INVALID_JOB, "task " + job.task() + " runs no model to compare with", job.jobId());
        }
        Set<String> ids = new HashSet<>(Set.of(model.card().id()));
        for (String ref : refs) {
            ServedModel<?, ?> other;
            try {
                other = model(job, ref);
            } catch (Rejection.Exception e) {
                throw Rejection.exception(e.rejection().code(), "options.compare: " + e.rejection().reason(), job.jobId());
            }
            into.add(other);
            String id = other.card().id();
            if (!ids.add(id)) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.compare: '" + ref + "' is " + id + ", which "
                        + (id.equals(model.card().id()) ? "is the job's own model" : "the list already names"), job.jobId());
            }
            handler.validate(job, other);
        }
    }

    /**
     * An annotate job's features, each resolved to the task that answers it (a type no task
     * answers is planned as unavailable: its items answer it with an error), that task's model
     * (the feature's, or the task's default), and the task's options for the feature's
     * {@code maxResults}, validated by the task; artifacts under {@code <output>/<task>/}. And where
     * the Cloud Vision output files go, checked against the allowed output locations.
     */
    private FeaturePlans features(JobRequest job, S3Location output, List<PlannedInput> inputs, String source)
            throws Rejection.Exception, IOException {
        Map<JobRequest.Feature, FeaturePlans.Feature> byRequest = new LinkedHashMap<>();
        List<JobRequest.Feature> asked = new ArrayList<>(job.features() == null ? List.of() : job.features());
        job.inputs().forEach(in -> {
            if (in.features() != null) {
                asked.addAll(in.features());
            }
        });
        Map<String, TaskHandler> byFeature = tasks.byVisionFeature();
        S3Location destination = null;
        int batchSize = 0;
        if (job.visionOutput() != null) {
            try {
                destination = policy.output(job.visionOutput().uri(), job.jobId());
            } catch (IllegalArgumentException e) {
                throw Rejection.exception(Rejection.NOT_ALLOWED, "outputConfig.gcsDestination: " + e.getMessage(), job.jobId());
            }
            batchSize = job.visionOutput().batchSize();
        }
        try {
            planFeatures(job, output, inputs, source, asked, byFeature, byRequest);
        } catch (Rejection.Exception | IOException | RuntimeException e) {
            // The features planned before the failure hold their models: let go of them.
            byRequest.values().forEach(f -> release(f.plan() == null ? null : f.plan().model()));
            throw e;
        }
        return new FeaturePlans(Map.copyOf(byRequest), destination, batchSize);
    }

    private void planFeatures(JobRequest job, S3Location output, List<PlannedInput> inputs, String source,
            List<JobRequest.Feature> asked, Map<String, TaskHandler> byFeature,
            Map<JobRequest.Feature, FeaturePlans.Feature> byRequest) throws Rejection.Exception, IOException {
        for (JobRequest.Feature f : asked) {
            if (byRequest.containsKey(f)) {
                continue;
            }
            TaskHandler handler = byFeature.get(f.type());
            if (handler == null) {
                byRequest.put(f, new FeaturePlans.Feature(f, null, f.type() + " is not available in this worker: no task of"
                        + " it answers that feature (it answers " + byFeature.keySet() + ")"));
                continue;
            }
            String ref = f.model() == null || f.model().startsWith("builtin/") ? null : f.model();
            JobRequest sub = job.forTask(handler.task(), ref, JsonNodeFactory.instance.objectNode());
            ServedModel<?, ?> model = handler.usesModel() ? model(sub) : null;
            sub = job.forTask(handler.task(), ref, handler.visionOptions(f.maxResults(), model));
            try {
                handler.validate(sub, model);
            } catch (Rejection.Exception | RuntimeException e) {
                release(model);
                if (!(e instanceof Rejection.Exception r)) {
                    throw e;
                }
                throw Rejection.exception(r.rejection().code(), "feature " + f.type() + " (task " + handler.task() + "): "
                        + r.rejection().reason(), job.jobId());
            }
            byRequest.put(f, new FeaturePlans.Feature(f,
                    new JobPlan(sub, model, handler, output.resolve(handler.task() + "/"), inputs, source), null));
        }
    }

    /**
     * The job's model, or the task's default; loaded on first use. The job holds a use of it
     * ({@link ServedModel#release} once its result is out).
     */
    private ServedModel<?, ?> model(JobRequest job) throws Rejection.Exception, IOException {
        String ref = job.model() != null ? job.model() : tasks.defaultModel(job.task());
        if (ref == null) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL,
                    "the job names no model and the worker has no default model for " + job.task(), job.jobId());
        }
        return model(job, ref);
    }

    /** The model {@code ref} names, which must be of the job's task, with a use held; loaded on first use. */
    private ServedModel<?, ?> model(JobRequest job, String ref) throws Rejection.Exception, IOException {
        ServedModel<?, ?> model;
        try {
            model = models.acquire(ref);
        } catch (UnknownModelException e) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, e.getMessage(), job.jobId());
        }
        if (!model.card().task().equals(job.task())) {
            model.release();
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
            job = parser.parse(record);
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
