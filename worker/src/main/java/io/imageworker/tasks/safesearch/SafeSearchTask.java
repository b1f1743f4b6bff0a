package io.imageworker.tasks.safesearch;

import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.WritesNoArtifacts;
import io.imageworker.tasks.classify.ClassifierOutput;
import io.imageworker.tasks.classify.ClassifyTranslator;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code safe-search} (Cloud Vision's SAFE_SEARCH_DETECTION, adult and racy): each image's
 * {@code safeSearch} likelihoods on Cloud Vision's scale, their scores, and the classifier's
 * {@code probabilities} per class, by {@link SafeSearchMapping}. Option {@code thresholds}: the
 * four cuts between the likelihoods (default 0.05, 0.2, 0.5, 0.8). The model is the job's
 * {@code model} ({@code nsfwjs-mobilenet-v2} by default; an imported {@code nsfwjs-inception-v3}
 * works the same), any classifier with the classes porn, hentai and sexy.
 */
@Singleton
public final class SafeSearchTask implements ServesModels, VisionAnswer, ReportsSection, WritesNoArtifacts {

    /** The job option with the four cuts. */
    static final String THRESHOLDS = "thresholds";

    @Override
    public String task() {
        return "safe-search";
    }

    @Override
    public String defaultModel() {
        return "nsfwjs-mobilenet-v2";
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return new ClassifyTranslator(card);
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        try {
            mapping(job.options(), model.card());
        } catch (IllegalArgumentException e) {
            throw Rejection.exception(Rejection.INVALID_JOB, "safe-search with model " + model.card().id() + ": "
                    + e.getMessage(), job.jobId());
        }
    }

    /** The job's mapping: its {@code thresholds}, else the card's option of that name, else the defaults. */
    static SafeSearchMapping mapping(JsonNode options, ModelCard card) {
        JsonNode t = options.path(THRESHOLDS);
        double[] cuts = SafeSearchMapping.DEFAULT_THRESHOLDS;
        if (!t.isMissingNode()) {
            if (!t.isArray()) {
                throw new IllegalArgumentException("options.thresholds is four increasing numbers in (0, 1]");
            }
            cuts = new double[t.size()];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = t.get(i).asDouble(Double.NaN);
            }
        } else if (card.options() != null && card.options().get(THRESHOLDS) instanceof List<?> l) {
            cuts = l.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        return SafeSearchMapping.of(card.labels(), cuts);
    }

    /** SAFE_SEARCH_DETECTION: the adult and racy likelihoods. */
    @Override
    public String visionFeature() {
        return "SAFE_SEARCH_DETECTION";
    }

    /**
     * {@code safeSearchAnnotation}: {@code adult} and {@code racy} as this task rates them, and
     * {@code spoof}, {@code medical}, {@code violence} as {@code UNKNOWN}, Cloud Vision's
     * {@code Likelihood} for "not rated": the nsfwjs classes say nothing about them, and a guess would
     * be a confident wrong answer. Cloud Vision's {@code maxResults} does not apply to this feature.
     */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode s = item.path("safeSearch");
        out.putObject("safeSearchAnnotation").put("adult", s.path("adult").asText()).put("spoof", UNKNOWN)
                .put("medical", UNKNOWN).put("violence", UNKNOWN).put("racy", s.path("racy").asText());
        return out;
    }

    /** Cloud Vision's {@code Likelihood} of a category this model does not rate. */
    static final String UNKNOWN = "UNKNOWN";

    /** A table of the two likelihoods with their scores. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("safeSearch", "probabilities"), item -> {
            JsonNode s = item.path("safeSearch");
            List<List<String>> rows = new ArrayList<>();
            for (String k : List.of("adult", "racy")) {
                rows.add(List.of(k, Html.esc(s.path(k).asText()), Html.score(s.path(k + "Score"))));
            }
            return Html.table(List.of("", "likelihood", "score"), rows);
        });
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, ClassifierOutput> model = work.model();
        ModelCard card = model.card();
        SafeSearchMapping mapping = mapping(work.plan().job().options(), card);
        ImageTensor tensor = Preprocessor.toTensor(image, card.input().spec());
        return model.infer(tensor, work.priority()).thenApplyAsync(out -> {
            float[] p = out.probabilities();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("safeSearch", annotation(mapping, p));
            Map<String, Object> probabilities = new LinkedHashMap<>();
            for (int i = 0; i < p.length; i++) {
                probabilities.put(card.labels().get(i), Items.round(p[i]));
            }
            extra.put("probabilities", probabilities);
            return Items.succeeded(work, image, null, extra);
        }, work.cpu());
    }

    /** The item's {@code safeSearch} object: adult, racy, adultScore, racyScore. */
    static Map<String, Object> annotation(SafeSearchMapping mapping, float[] p) {
        double adult = mapping.adult(p);
        double racy = mapping.racy(p);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("adult", mapping.likelihood(adult).name());
        s.put("racy", mapping.likelihood(racy).name());
        s.put("adultScore", Items.round(adult));
        s.put("racyScore", Items.round(racy));
        return s;
    }
}
