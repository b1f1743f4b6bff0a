package io.imageworker.pipeline;

import io.imageworker.config.ResultsConfig;
import io.imageworker.config.DocumentsConfig;
import io.imageworker.config.LimitsConfig;
import io.imageworker.documents.DocumentLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.config.ConsumerConfig;
import io.imageworker.config.WorkerConfig;
import io.imageworker.events.EventSchemas;
import io.imageworker.imaging.ImageDecoder;
import io.imageworker.inference.ModelServer;
import io.imageworker.intake.JobConsumer;
import io.imageworker.intake.JobParser;
import io.imageworker.intake.NotificationRules;
import io.imageworker.intake.TransactionalCommits;
import io.imageworker.observability.JobTracing;
import io.imageworker.observability.WorkerMetrics;
import io.imageworker.planning.InputPlanner;
import io.imageworker.planning.JobPlanner;
import io.imageworker.planning.TaskCatalog;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.publish.CloudEventHeaders;
import io.imageworker.publish.DeadLetters;
import io.imageworker.publish.Publisher;
import io.imageworker.storage.LocationPolicy;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.storage.StorageException;
import io.imageworker.tasks.TaskHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Builds a {@link JobService} and its stages from the configuration: the one place the settings
 * groups of {@link WorkerConfig} become the stages' arguments, so the orchestrator sees stages
 * only. Checks what it builds (a pool that cannot be routed to, a notification rule writing outside
 * the allowed outputs) and refuses to start on it.
 */
final class JobServiceWiring {

    private static final Logger LOG = Logger.getLogger(JobServiceWiring.class);

    /**
     * What the job's path writes to and reads from.
     *
     * @param store the object store inputs come from and results go to
     * @param policy the allowed input and output locations
     * @param answers sends results, dead letters and forwarded jobs (transactional in exactly-once mode)
     * @param events sends progress events (never transactional: they are informational)
     * @param deadLetterValueLimit the largest value a dead letter carries whole, in bytes
     */
    record Edges(ObjectStore store, LocationPolicy policy, Publisher answers, Publisher events, int deadLetterValueLimit) {}

    /**
     * Where a job's work runs.
     *
     * @param io storage calls and planning
     * @param cpu decoding and a task's post-processing
     * @param permits the items in flight across jobs
     */
    record Threads(Executor io, Executor cpu, ItemPermits permits) {}

    private final WorkerConfig config;
    private final Tasks tasks;
    private final String workerId;

    /**
     * @param config every setting of the worker
     * @param tasks the tasks of the application, and those served here
     * @param workerId this worker's id in events and logs
     */
    JobServiceWiring(WorkerConfig config, Tasks tasks, String workerId) {
        this.config = config;
        this.tasks = tasks;
        this.workerId = workerId;
    }

    /** The served tasks as planning asks for them, read from {@code tasks} at each call. */
    static TaskCatalog catalog(Tasks tasks) {
        return new TaskCatalog() {
            @Override
            public Map<String, TaskHandler> byName() {
                return tasks.byName();
            }

            @Override
            public Map<String, io.imageworker.tasks.VisionAnswer> byVisionFeature() {
                return tasks.byVisionFeature();
            }

            @Override
            public String defaultModel(String task) {
                return tasks.defaultModel(task);
            }
        };
    }

    /**
     * Where jobs of each task go ({@code image-worker.routing.pools}).
     *
     * @throws IllegalArgumentException for a pool that cannot be routed to (a task the application
     *     lacks, this worker's own topic): the start stops
     */
    TaskRoutes routes() {
        List<TaskRoutes.Pool> pools = new ArrayList<>();
        config.routing().pools().forEach((name, p) -> pools.add(new TaskRoutes.Pool(name, p.topic(),
                new java.util.TreeSet<>(p.tasks().stream().map(String::trim).toList()))));
        TaskRoutes routes = new TaskRoutes(tasks.byName().keySet(), pools, tasks.known().keySet(),
                tasks.taskByVisionFeature(), config.topics().jobs());
        if (!pools.isEmpty()) {
            LOG.infof("routing jobs of tasks served elsewhere to pools %s", pools);
        }
        return routes;
    }

    /**
     * The document limits of the configuration's {@code documents} group (whose defaults are
     * {@link DocumentLimits#defaults()}: {@code DocumentsConfigTest}).
     */
    static DocumentLimits documentLimits(DocumentsConfig d) {
        return new DocumentLimits(d.maxBytes(), d.maxPages(), d.maxPagePixels(), d.maxImagePixels(), d.dpi(), d.minDpi(),
                d.pageTimeout());
    }

    /**
     * The job service serving this worker's jobs.
     *
     * @param routes where each job is served ({@link #routes()})
     * @param models the models jobs run on
     * @throws IllegalArgumentException for a notification rule that cannot make a valid job
     */
    JobService build(TaskRoutes routes, ModelServer models, Edges edges, Threads threads, ObjectMapper json,
            WorkerMetrics metrics, JobTracing tracing) {
        LimitsConfig limits = config.limits();
        EventSchemas schemas = new EventSchemas(tasks.schemas()); // assembled from the served tasks' fragments
        CloudEventHeaders cloudEvents = new CloudEventHeaders(
                config.cloudevents().source().orElse(CloudEventHeaders.defaultSource(workerId)));
        ResultsConfig files = config.results();
        ResultWriter results = new ResultWriter(edges.store(), edges.answers(), json, config.topics().results(), workerId,
                limits.maxResultEventBytes(), files.report(), files.reportMinItems(), files.itemsFileMinItems(),
                conditionalWrites(edges.store()), cloudEvents);
        String notificationTopic = config.notifications().topic().orElse(null);
        NotificationRules notifications = notificationTopic == null ? null : notificationRules(schemas, edges.policy());
        JobService.Reading reading = new JobService.Reading(new JobParser(schemas, limits.maxEventBytes()),
                notificationTopic, notifications, tracing, new IntakeFaults(config.faults().intake()), metrics);
        JobPlanner planner = new JobPlanner(catalog(tasks), models, edges.policy(),
                new InputPlanner(edges.policy(), edges.store(), limits.maxInputsPerJob()));
        JobRunner runner = new JobRunner(edges.store(), new ImageDecoder(limits.maxPixels()), threads.permits(), threads.io(),
                threads.cpu(), limits.maxObjectBytes(), metrics, config.faults().haltOnInput().orElse(null),
                documentLimits(config.documents()));
        ProgressReporter progress = new ProgressReporter(edges.events(), json, config.topics().progress(), workerId,
                config.progress().interval(), config.progress().minItems(), config.progress().minPages(), cloudEvents);
        Answers answers = new Answers(results,
                new DeadLetters(edges.answers(), config.topics().deadLetter(), workerId, edges.deadLetterValueLimit()),
                metrics, edges.answers());
        return new JobService(reading, routes, planner,
                new JobService.Running(runner, results, progress, threads.permits(), threads.io()), answers);
    }

    /**
     * The consumer of {@code topics} that hands each record to {@code service}, from the consumer
     * and limits groups: a record that may have crashed a worker is tried alone {@code max-attempts - 1}
     * times, one whose handling keeps failing {@code max-attempts} times, before either is dead-lettered.
     *
     * @param transactions exactly-once delivery's commits, or null for at-least-once
     */
    JobConsumer consumer(Map<String, Object> kafka, List<String> topics, JobService service,
            TransactionalCommits transactions) {
        ConsumerConfig c = config.consumer();
        return new JobConsumer(kafka, topics, c.groupId(), config.limits().maxInFlightJobs(), Math.max(1, c.maxAttempts() - 1),
                Math.max(1, c.maxAttempts()), c.commitInterval(), c.shutdownGrace(), service, transactions);
    }

    /** The notification rules from configuration, checked (a rule that cannot make a valid job stops the start). */
    private NotificationRules notificationRules(EventSchemas schemas, LocationPolicy policy) {
        List<NotificationRules.Rule> rules = new ArrayList<>();
        config.notifications().rules().forEach((name, r) -> rules.add(new NotificationRules.Rule(name, r.bucket(),
                r.prefix().orElse(""), r.task(), r.model().orElse(null), r.options().orElse(null),
                r.output().orElse(null), r.priority())));
        if (rules.isEmpty()) {
            LOG.warnf("notifications are read from %s but no rule is configured: every record will be skipped (no-rule)",
                    config.notifications().topic().orElse(""));
        }
        NotificationRules out = new NotificationRules(rules, config.notifications().imageSuffixes(),
                config.limits().maxObjectBytes(), policy.inputBuckets(), schemas, config.limits().maxEventBytes());
        // The output prefixes are checked here, where the policy is: a job of a rule writing outside them would be refused.
        for (NotificationRules.Rule r : rules) {
            if (r.output() != null) {
                try {
                    policy.output(r.output(), "x");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("image-worker.notifications.rules." + r.name() + ".output: "
                            + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * Whether result.json may be created with a conditional PUT: as configured, or for {@code auto}
     * asked of the store with a probe object beside the default output location (a store that cannot
     * be asked gets the HEAD before each job, which is right on every store).
     */
    private boolean conditionalWrites(ObjectStore store) {
        WorkerConfig.ConditionalWrites mode = config.storage().conditionalWrites();
        if (mode != WorkerConfig.ConditionalWrites.AUTO) {
            return mode == WorkerConfig.ConditionalWrites.ON;
        }
        S3Location probe = S3Location.parse(config.storage().outputUri())
                .resolve(".image-worker-conditional-write-probe");
        try {
            boolean honoured = store.honoursConditionalWrites(probe);
            LOG.infof("object store %s conditional writes (probe %s)%s", honoured ? "honours" : "does not honour", probe,
                    honoured ? "" : ": jobs check for an earlier result.json with a HEAD before their work");
            return honoured;
        } catch (StorageException e) {
            LOG.warnf("could not ask the object store whether it honours conditional writes (%s): jobs check for an"
                    + " earlier result.json with a HEAD before their work", e.getMessage());
            return false;
        }
    }
}
