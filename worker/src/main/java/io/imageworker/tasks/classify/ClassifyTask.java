package io.imageworker.tasks.classify;

import jakarta.inject.Singleton;
import ai.djl.translate.Translator;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ServedModel;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.tasks.Abstention;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.WritesNoArtifacts;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.PhotoLabelling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Set;

/**
 * {@code classify}: the top-K labels of each image (option {@code topK}, default 5). When the model
 * has an out-of-distribution detector, every item carries its {@code oodScore} (1 is the model's
 * cut), and an item above the cut carries {@code outOfDistribution} instead of {@code labels}
 * (option {@code abstain}, default true; false keeps the labels). A job that pins no model gets, on
 * such an item, the photo labels of the served {@link io.imageworker.tasks.PhotoLabels} task (COCO-80
 * classes from objects, marked {@code labelSet: "coco-80"}) as its {@code labels} ({@link PhotoLabelling}).
 */
@Singleton
public final class ClassifyTask implements ServesModels, VisionAnswer, ReportsSection, WritesNoArtifacts {

    static final int DEFAULT_TOP_K = 5;

    @Override
    public String task() {
        return "classify";
    }

    @Override
    public String defaultModel() {
        return "mnist-cnn-bn";
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return new ClassifyTranslator(card);
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        int labels = model.card().labels() == null ? 0 : model.card().labels().size();
        // Without topK a job gets up to 5 labels, fewer when the model has fewer: only a topK the job
        // asked for can be too large.
        int k = job.options().path("topK").asInt(Math.min(DEFAULT_TOP_K, labels));
        if (k > labels) {
            throw Rejection.exception(Rejection.INVALID_JOB,
                    "options.topK is " + k + " but model " + model.card().id() + " has " + labels + " labels", job.jobId());
        }
    }

    /** LABEL_DETECTION: the configured classifier's labels (a digit model's are digits). */
    @Override
    public String visionFeature() {
        return "LABEL_DETECTION";
    }

    /** {@code topK}: {@code maxResults}, default Cloud Vision's 10, at most the model's label count. */
    @Override
    public ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        int labels = model.card().labels() == null ? 0 : model.card().labels().size();
        return JsonNodeFactory.instance.objectNode().put("topK", Math.max(1, Math.min(maxResults > 0 ? maxResults : 10, labels)));
    }

    /**
     * {@code labelAnnotations}: one {@code EntityAnnotation} per label ({@code description}, {@code score}),
     * best first; none for an item the model abstained on (out of distribution), as Cloud Vision
     * leaves the field out when it finds no label.
     */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (item.path("labels").isEmpty()) {
            return out;
        }
        var labels = out.putArray("labelAnnotations");
        for (JsonNode l : item.path("labels")) {
            labels.addObject().put("description", l.path("label").asText()).put("score", l.path("score").asDouble());
        }
        return out;
    }

    /** A table of the top labels with their probabilities. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("labels"), item -> {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode l : item.path("labels")) {
                rows.add(List.of(Html.esc(l.path("label").asText()), Html.score(l.path("score"))));
            }
            return Html.table(List.of("label", "probability"), rows);
        });
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, ClassifierOutput> model = work.model();
        ModelCard card = model.card();
        Preprocessor.Spec spec = card.input().spec();
        ImageTensor tensor = Preprocessor.toDigitTensor(image, spec);
        int k = Math.min(work.plan().job().options().path("topK").asInt(DEFAULT_TOP_K), card.labels().size());
        OodDetector ood = model.outOfDistribution();
        return model.infer(tensor, work.priority()).thenApplyAsync(out -> {
            Map<String, Object> extra = new LinkedHashMap<>();
            ItemResult abstained = Abstention.apply(ood, work, image, tensor, spec, out.features(), extra);
            if (abstained != null) {
                return abstained;
            }
            List<ItemResult.Label> labels = TopK.of(out.probabilities(), k).stream()
                    .map(e -> new ItemResult.Label(card.labels().get(e.index()), Items.round(e.score()))).toList();
            return Items.succeeded(work, image, labels, extra);
        }, work.cpu()).thenCompose(r -> PhotoLabelling.label(work, image, r, k));
    }
}
