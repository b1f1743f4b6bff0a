package io.imageworker.tasks.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.events.ItemError;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.tasks.FeaturePlans;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.PhotoLabels;
import io.imageworker.tasks.SubsamplesInput;
import io.imageworker.tasks.SubPlans;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.Finishes;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.VisionJson;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * {@code annotate}: the Cloud Vision features a job asks of each image ({@code features}), Cloud
 * Vision style. The pipeline fetches and decodes each image once, at the largest side any feature
 * needs; this task hands it to each feature's task (each feature's model keeps its own batcher),
 * subsampled further for a feature that needs fewer pixels, and puts the answers on one item under
 * Cloud Vision's {@code AnnotateImageResponse} field names, each task mapping its own
 * ({@link VisionAnswer#visionAnnotation}). A feature that fails, or that no task of this worker
 * serves, fails alone: {@code featureErrors} holds its {@code google.rpc.Status} ({@code code},
 * {@code message}) and the worker's {@code reason} code, and the item stands on the others; it fails
 * only when every feature did. Artifacts of feature tasks go under {@code <output>/<task>/} and are
 * named {@code <task>-<name>} on the item ({@code text-overlay}, {@code faces-overlay}).
 *
 * <p>For an {@code asyncBatchAnnotate} request, {@link #finish} also writes Cloud Vision's output
 * files under the request's destination: {@code output-<first>-to-<last>.json}, each
 * {@code {"responses": [...]}} of up to {@code batchSize} responses in request order, each with its
 * annotations, {@code error} (google.rpc.Status) when the image or a feature failed, and
 * {@code context.uri}.
 */
@Singleton
public final class AnnotateTask implements SubsamplesInput, ReportsSection, Finishes {

    private static final Logger LOG = Logger.getLogger(AnnotateTask.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Item field holding the failed features' statuses by feature type. */
    public static final String FEATURE_ERRORS = "featureErrors";
    /** Item error code of a feature no task of the worker serves. */
    public static final String NOT_AVAILABLE = "not-available";

    @Override
    public String task() {
        return JobRequest.ANNOTATE;
    }

    /** The features were resolved (tasks, models, options) and validated by the pipeline when it planned the job. */
    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        // nothing of its own
    }

    /**
     * The largest side any served feature (or its photo-label task) needs; 0 (every pixel) when one
     * needs every pixel.
     */
    @Override
    public int inputSide(JobPlan plan) {
        int side = 0;
        for (FeaturePlans.Feature f : plan.features().byRequest().values()) {
            for (JobPlan p : new JobPlan[] {f.plan(), f.photoLabels()}) {
                if (p == null) {
                    continue;
                }
                int s = SubsamplesInput.of(p);
                if (s <= 0) {
                    return 0;
                }
                side = Math.max(side, s);
            }
        }
        return side;
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        JobPlan plan = work.plan();
        List<JobRequest.Feature> asked = plan.job().featuresOf(work.input().index());
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        Map<SameWork, CompletableFuture<ItemResult>> served = new HashMap<>();
        for (JobRequest.Feature request : asked) {
            FeaturePlans.Feature feature = plan.features().byRequest().get(request);
            // features one task answers from the same work (TEXT_DETECTION and DOCUMENT_TEXT_DETECTION) share one run
            CompletableFuture<ItemResult> result = feature.plan() == null ? serve(feature, work, image)
                    : served.computeIfAbsent(SameWork.of(feature.plan()), k -> serve(feature, work, image));
            outcomes.add(result.thenCompose(r -> photoLabels(feature, work, image, r))
                    .handle((o, e) -> o != null ? o : new Outcome(feature, null, e, false)));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(v -> combine(work, image, outcomes.stream().map(CompletableFuture::join).toList()));
    }

    /**
     * What a feature's run depends on: its task, its model (the same instance) and the sub-job's options;
     * two features alike in these get the same result from one run.
     */
    private record SameWork(Identity handler, Identity model, JsonNode options) {
        static SameWork of(JobPlan plan) {
            return new SameWork(new Identity(plan.handler()), new Identity(plan.model()), plan.job().options());
        }
    }

    /** A reference compared by identity. */
    private record Identity(Object of) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.of == of;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(of);
        }
    }

    /** A feature's answer: its task's result, or with {@code photoLabels} the photo-label task's. */
    private record Outcome(FeaturePlans.Feature feature, ItemResult result, Throwable error, boolean photoLabels) {}

    /**
     * The feature's outcome from its task's {@code result}; for an item that task abstained on
     * ({@link PhotoLabels#ABSTAINED}) and a feature planned with photo labels, the photo-label task's
     * result instead (a photo the digit model saw no digit in gets the objects found).
     */
    private static CompletableFuture<Outcome> photoLabels(FeaturePlans.Feature feature, ItemWork work, BufferedImage image,
            ItemResult result) {
        if (feature.photoLabels() == null || !result.succeeded() || result.extra() == null
                || !result.extra().containsKey(PhotoLabels.ABSTAINED)) {
            return CompletableFuture.completedFuture(new Outcome(feature, result, null, false));
        }
        return serve(feature.photoLabels(), work, image).thenApply(r -> new Outcome(feature, r, null, true));
    }

    /** One feature of one item, by its task, on the image subsampled to what that task needs. */
    private static CompletableFuture<ItemResult> serve(FeaturePlans.Feature feature, ItemWork work, BufferedImage image) {
        if (feature.plan() == null) {
            return CompletableFuture.failedFuture(new FeatureUnavailable(feature.unavailable()));
        }
        return serve(feature.plan(), work, image);
    }

    /** One item by the task of {@code sub}, on the image subsampled to what that task needs. */
    private static CompletableFuture<ItemResult> serve(JobPlan sub, ItemWork work, BufferedImage image) {
        return SubPlans.serve(sub, work, image);
    }

    /** {@code handler} as the Cloud Vision answer it is planned as (every feature's task is one). */
    private static VisionAnswer visionAnswer(TaskHandler handler) {
        if (handler instanceof VisionAnswer v) {
            return v;
        }
        throw new UnsupportedOperationException("task " + handler.task() + " answers no Cloud Vision feature");
    }

    /** A feature no task of this worker serves. */
    static final class FeatureUnavailable extends RuntimeException implements ItemError.Coded {
        FeatureUnavailable(String message) {
            super(message, null, false, false);
        }

        @Override
        public String code() {
            return NOT_AVAILABLE;
        }
    }

    private static ItemResult combine(ItemWork work, BufferedImage image, List<Outcome> outcomes) {
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, String> artifacts = new LinkedHashMap<>();
        ObjectNode errors = F.objectNode();
        ItemError first = null;
        List<String> messages = new ArrayList<>();
        for (Outcome o : outcomes) {
            String type = o.feature().request().type();
            ItemError error = null;
            if (o.result() != null && o.result().succeeded()) {
                try {
                    JobPlan by = o.photoLabels() ? o.feature().photoLabels() : o.feature().plan();
                    JsonNode item = JSON.valueToTree(o.result());
                    ObjectNode annotation = o.photoLabels()
                            ? ((PhotoLabels) by.handler()).labelAnnotations(item, o.feature().request().maxResults())
                            : visionAnswer(by.handler()).visionAnnotation(item);
                    annotation.fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue()));
                    if (o.result().artifacts() != null) {
                        String task = by.handler().task();
                        o.result().artifacts().forEach((name, uri) -> artifacts.put(task + "-" + name, uri));
                    }
                } catch (RuntimeException e) {
                    error = errorOf(work, type, e);
                }
            } else {
                error = o.result() != null ? o.result().error() : errorOf(work, type, o.error());
            }
            if (error != null) {
                errors.set(type, VisionJson.status(VisionJson.code(error.code()), error.message()).put("reason", error.code()));
                first = first == null ? error : first;
                messages.add(type + ": " + error.message());
            }
        }
        if (!errors.isEmpty()) {
            extra.put(FEATURE_ERRORS, errors);
        }
        boolean failed = first != null && errors.size() == outcomes.size();
        Integer width = work.width() > 0 ? work.width() : image == null ? null : image.getWidth();
        Integer height = work.height() > 0 ? work.height() : image == null ? null : image.getHeight();
        return new ItemResult(work.input().index(), work.input().uri(), work.input().id(),
                failed ? ItemResult.FAILED : ItemResult.SUCCEEDED,
                failed ? new ItemError(first.code(), "every feature failed: " + String.join("; ", messages)) : null,
                width, height, null, artifacts.isEmpty() ? null : artifacts, extra.isEmpty() ? null : extra);
    }

    /** The error of a feature that threw: its own code when it knows one, else {@code inference-failed}. */
    private static ItemError errorOf(ItemWork work, String type, Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ItemError.Coded coded) {
            return coded.toItemError();
        }
        LOG.warnf(cause, "feature %s of item %d (%s) failed", type, work.input().index(), work.input().uri());
        return new ItemError("inference-failed", "the model failed on this item: " + cause);
    }

    /** Each annotation as a short table: labels, the text, faces, colours, and the failed features. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("labelAnnotations", "textAnnotations", "fullTextAnnotation", "faceAnnotations",
                "imagePropertiesAnnotation", FEATURE_ERRORS), item -> {
            StringBuilder h = new StringBuilder();
            List<List<String>> labels = new ArrayList<>();
            for (JsonNode l : item.path("labelAnnotations")) {
                labels.add(List.of(Html.esc(l.path("description").asText()), Html.score(l.path("score"))));
            }
            if (!labels.isEmpty()) {
                h.append(Html.table(List.of("label", "score"), labels));
            }
            if (item.has("textAnnotations")) {
                h.append("<pre class=\"text\">").append(Html.esc(item.path("textAnnotations").get(0).path("description").asText()))
                        .append("</pre>");
            }
            if (item.has("faceAnnotations")) {
                h.append("<p>").append(item.path("faceAnnotations").size()).append(" face(s)</p>");
            }
            List<List<String>> colors = new ArrayList<>();
            for (JsonNode c : item.path("imagePropertiesAnnotation").path("dominantColors").path("colors")) {
                JsonNode rgb = c.path("color");
                String hex = String.format("#%02X%02X%02X", rgb.path("red").asInt(), rgb.path("green").asInt(),
                        rgb.path("blue").asInt());
                colors.add(List.of(Html.swatch(hex) + " " + hex, Html.percent(c.path("pixelFraction"))));
            }
            if (!colors.isEmpty()) {
                h.append(Html.table(List.of("colour", "share"), colors));
            }
            List<List<String>> failed = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = item.path(FEATURE_ERRORS).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                failed.add(List.of(Html.esc(e.getKey()), Html.esc(e.getValue().path("message").asText())));
            }
            if (!failed.isEmpty()) {
                h.append(Html.table(List.of("feature failed", "why"), failed));
            }
            return h.toString();
        });
    }

    /** Cloud Vision's output files, for an {@code asyncBatchAnnotate} request ({@link VisionOutputFiles}); none otherwise. */
    @Override
    public CompletableFuture<Map<String, String>> finish(JobPlan plan, List<ItemResult> items, ArtifactWriter artifacts) {
        FeaturePlans features = plan.features();
        if (features == null) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return VisionOutputFiles.write(features, items, artifacts);
    }
}
