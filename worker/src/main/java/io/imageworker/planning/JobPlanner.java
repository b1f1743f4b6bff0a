package io.imageworker.planning;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ModelServer;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.PlannedInput;
import io.imageworker.job.Rejection;
import io.imageworker.models.UnknownModelException;
import io.imageworker.storage.LocationPolicy;
import io.imageworker.storage.S3Location;
import io.imageworker.storage.StorageException;
import io.imageworker.tasks.Abstention;
import io.imageworker.tasks.FeaturePlans;
import io.imageworker.tasks.PhotoLabels;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ComparesModels;
import io.imageworker.tasks.MakesItems;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.VisionAnswer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns a parsed job into a {@link JobPlan} before anything runs: its task, its model (the job's or
 * the task's default, loaded on first use), the models it compares with it, its output location and
 * inputs checked against the allow-lists, for an annotate job each Cloud Vision feature's task
 * and model, and for a classify job that pins no model the photo-label task run where it abstains.
 * Every model in a plan is held (a use acquired) until {@link #release(JobPlan)}; a job that cannot
 * be planned holds none.
 */
public final class JobPlanner {

    private static final Logger LOG = Logger.getLogger(JobPlanner.class);

    /** The Cloud Vision feature a {@link PhotoLabels} task answers on the items its own task abstains on. */
    static final String PHOTO_LABELS_FOR = "LABEL_DETECTION";

    /**
     * Cloud Vision's dense-text feature, the one documents are read with: served by the task that
     * answers {@value #TEXT} when no task answers it by name.
     */
    static final String DOCUMENT_TEXT = "DOCUMENT_TEXT_DETECTION";
    static final String TEXT = "TEXT_DETECTION";

    private final TaskCatalog tasks;
    private final ModelServer models;
    private final LocationPolicy policy;
    private final InputPlanner inputs;

    /**
     * @param tasks the tasks served here
     * @param models loads and serves the models jobs name
     * @param policy the allowed output locations
     * @param inputs expands and checks a job's inputs
     */
    public JobPlanner(TaskCatalog tasks, ModelServer models, LocationPolicy policy, InputPlanner inputs) {
        this.tasks = tasks;
        this.models = models;
        this.policy = policy;
        this.inputs = inputs;
    }

    /**
     * The plan of {@code job}, each of its models with a use held.
     *
     * @param source the record that brought the job ({@code topic/partition@offset})
     * @throws Rejection.Exception when the job cannot be served as asked (unknown task or model,
     *     options a task refuses, locations outside the allow-lists, too many inputs)
     * @throws StorageException when an input prefix cannot be listed
     * @throws IOException when a model cannot be loaded
     */
    public JobPlan plan(JobRequest job, String source) throws Rejection.Exception, StorageException, IOException {
        TaskHandler handler = tasks.byName().get(job.task());
        if (handler == null) {
            throw Rejection.exception(Rejection.INVALID_JOB,
                    "task '" + job.task() + "' is not served by this worker (it serves " + tasks.byName().keySet() + ")", job.jobId());
        }
        ServedModel<?, ?> model = handler instanceof ServesModels ? model(job) : null;
        List<ServedModel<?, ?>> compared = new ArrayList<>();
        JobPlan photoLabels = null;
        try {
            handler.validate(job, model);
            compare(job, handler, model, compared);
            S3Location output;
            try {
                output = policy.output(job.outputUri(), job.jobId());
            } catch (IllegalArgumentException e) {
                throw Rejection.exception(Rejection.NOT_ALLOWED, e.getMessage(), job.jobId());
            }
            List<PlannedInput> items = handler instanceof MakesItems own ? own.items(job) : inputs.plan(job);
            FeaturePlans features = JobRequest.ANNOTATE.equals(job.task()) ? features(job, output, items, source) : null;
            photoLabels = labelsPhotos(job, handler, model) ? optionalPhotoLabels(job, (VisionAnswer) handler, output, items, source)
                    : null;
            return new JobPlan(job, model, handler, output, items, source, features, compared, photoLabels);
        } catch (Rejection.Exception | StorageException | IOException | RuntimeException e) {
            release(model);
            compared.forEach(JobPlanner::release);
            release(photoLabels == null ? null : photoLabels.model());
            throw e;
        }
    }

    /**
     * What answers Cloud Vision feature {@code type} in {@code byFeature} (a task, or its name): its
     * own entry, or for {@value #DOCUMENT_TEXT} without one, {@value #TEXT}'s (Cloud Vision answers dense
     * text with the same fields, textAnnotations and fullTextAnnotation); null when nothing does.
     */
    static <T> T answering(Map<String, T> byFeature, String type) {
        T own = byFeature.get(type);
        return own == null && DOCUMENT_TEXT.equals(type) ? byFeature.get(TEXT) : own;
    }

    /**
     * True when a job of the task answering {@value #PHOTO_LABELS_FOR} (classify) gets photo labels on
     * the items its model abstains on: it pins no model (one that does wants that model's answer
     * only), the model has an out-of-distribution detector (without one it never abstains) and the
     * job did not turn abstention off.
     */
    private static boolean labelsPhotos(JobRequest job, TaskHandler handler, ServedModel<?, ?> model) {
        return job.model() == null && model != null && model.outOfDistribution() != null
                && handler instanceof VisionAnswer v && PHOTO_LABELS_FOR.equals(v.visionFeature())
                && job.options().path("abstain").asBoolean(Abstention.DEFAULT_ABSTAIN);
    }

    /**
     * A classify job's photo-label plan ({@link #photoLabels}, writing no files), or null when its
     * model cannot be had: photo labels are a second answer, so the job goes on with its own model's
     * (its digits, and abstentions on photos) rather than fail, and the reason is logged.
     */
    private JobPlan optionalPhotoLabels(JobRequest job, VisionAnswer handler, S3Location output, List<PlannedInput> items,
            String source) {
        try {
            return photoLabels(job, handler, false, output, items, source);
        } catch (Rejection.Exception | IOException e) {
            LOG.warnf("job %s runs without photo labels: %s", job.jobId(), e.getMessage());
            return null;
        }
    }

    /**
     * The model versions {@code plan} holds: its own, those it compares with it, its photo-label task's,
     * and an annotate job's features' models.
     */
    public static List<ServedModel<?, ?>> held(JobPlan plan) {
        List<ServedModel<?, ?>> held = new ArrayList<>();
        if (plan.model() != null) {
            held.add(plan.model());
        }
        held.addAll(plan.compared());
        if (plan.photoLabels() != null && plan.photoLabels().model() != null) {
            held.add(plan.photoLabels().model());
        }
        if (plan.features() != null) {
            plan.features().byRequest().values().forEach(f -> {
                if (f.plan() != null && f.plan().model() != null) {
                    held.add(f.plan().model());
                }
                if (f.photoLabels() != null && f.photoLabels().model() != null) {
                    held.add(f.photoLabels().model());
                }
            });
        }
        return held;
    }

    /** Lets go of a use of {@code model}; null is none. */
    public static void release(ServedModel<?, ?> model) {
        if (model != null) {
            model.release();
        }
    }

    /**
     * Loads the models {@code job} compares with its own ({@link ComparesModels}) into
     * {@code into}, each with a use held (the caller releases them when planning fails): each must
     * be of the job's task, pass the task's checks, and be a version neither the job's model nor
     * another compared one is.
     */
    private void compare(JobRequest job, TaskHandler handler, ServedModel<?, ?> model, List<ServedModel<?, ?>> into)
            throws Rejection.Exception, IOException {
        List<String> refs = handler instanceof ComparesModels c ? c.comparedModels(job) : List.of();
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
    private FeaturePlans features(JobRequest job, S3Location output, List<PlannedInput> items, String source)
            throws Rejection.Exception, IOException {
        Map<JobRequest.Feature, FeaturePlans.Feature> byRequest = new LinkedHashMap<>();
        List<JobRequest.Feature> asked = new ArrayList<>(job.features() == null ? List.of() : job.features());
        job.inputs().forEach(in -> {
            if (in.features() != null) {
                asked.addAll(in.features());
            }
        });
        Map<String, VisionAnswer> byFeature = tasks.byVisionFeature();
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
        List<FeaturePlans.FileOutput> files = files(job);
        try {
            planFeatures(job, output, items, source, asked, byFeature, byRequest);
        } catch (Rejection.Exception | IOException | RuntimeException e) {
            // The features planned before the failure hold their models: let go of them.
            byRequest.values().forEach(f -> {
                release(f.plan() == null ? null : f.plan().model());
                release(f.photoLabels() == null ? null : f.photoLabels().model());
            });
            throw e;
        }
        return new FeaturePlans(Map.copyOf(byRequest), destination, batchSize, files);
    }

    /**
     * A {@code files:asyncBatchAnnotate} request's documents, each with its own destination checked
     * against the allowed output locations; empty for other jobs.
     */
    private List<FeaturePlans.FileOutput> files(JobRequest job) throws Rejection.Exception {
        List<FeaturePlans.FileOutput> files = new ArrayList<>();
        for (int i = 0; i < job.inputs().size(); i++) {
            JobRequest.Input in = job.inputs().get(i);
            if (in.file() == null) {
                continue;
            }
            S3Location destination;
            try {
                destination = policy.output(in.file().output().uri(), job.jobId());
            } catch (IllegalArgumentException e) {
                throw Rejection.exception(Rejection.NOT_ALLOWED, "requests/" + i + "/outputConfig.gcsDestination: "
                        + e.getMessage(), job.jobId());
            }
            files.add(new FeaturePlans.FileOutput(in.uri(), in.file().mimeType(), destination, in.file().output().batchSize()));
        }
        return files;
    }

    private void planFeatures(JobRequest job, S3Location output, List<PlannedInput> items, String source,
            List<JobRequest.Feature> asked, Map<String, VisionAnswer> byFeature,
            Map<JobRequest.Feature, FeaturePlans.Feature> byRequest) throws Rejection.Exception, IOException {
        for (JobRequest.Feature f : asked) {
            if (byRequest.containsKey(f)) {
                continue;
            }
            VisionAnswer handler = answering(byFeature, f.type());
            if (handler == null) {
                byRequest.put(f, new FeaturePlans.Feature(f, null, f.type() + " is not available in this worker: no task of"
                        + " it answers that feature (it answers " + byFeature.keySet() + ")"));
                continue;
            }
            String ref = f.model() == null || f.model().startsWith("builtin/") ? null : f.model();
            JobRequest sub = job.forTask(handler.task(), ref, JsonNodeFactory.instance.objectNode());
            ServedModel<?, ?> model = handler instanceof ServesModels ? model(sub) : null;
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
            JobPlan plan = new JobPlan(sub, model, handler, output.resolve(handler.task() + "/"), items, source);
            JobPlan photoLabels;
            try {
                photoLabels = PHOTO_LABELS_FOR.equals(f.type()) ? photoLabels(job, handler, true, output, items, source) : null;
            } catch (Rejection.Exception | IOException | RuntimeException e) {
                release(model);
                throw e;
            }
            byRequest.put(f, new FeaturePlans.Feature(f, plan, null, photoLabels));
        }
    }

    /**
     * The served {@link PhotoLabels} task's plan (its default model, loaded here on the first such job,
     * its default options), run on the items the {@code LABEL_DETECTION} task {@code labels}
     * abstains on, in an annotate feature or a classify job alike; null when no such task is served,
     * or when it is the label task.
     *
     * @param artifacts false: the task writes no file ({@link PhotoLabels#withoutArtifacts}), so that a
     *     classify job still writes only result.json
     */
    private JobPlan photoLabels(JobRequest job, VisionAnswer labels, boolean artifacts, S3Location output,
            List<PlannedInput> items, String source) throws Rejection.Exception, IOException {
        for (VisionAnswer v : tasks.byVisionFeature().values()) {
            if (v instanceof PhotoLabels p && p != labels) {
                JobRequest sub = job.forTask(p.task(), null,
                        artifacts ? JsonNodeFactory.instance.objectNode() : p.withoutArtifacts());
                ServedModel<?, ?> model = p instanceof ServesModels ? model(sub) : null;
                return new JobPlan(sub, model, p, output.resolve(p.task() + "/"), items, source);
            }
        }
        return null;
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
}
