package io.imageworker.tasks.localize;

import jakarta.inject.Singleton;
import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.Box;
import io.imageworker.imaging.Colors;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Png;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Abstention;
import io.imageworker.tasks.Items;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.JobPlan;
import java.util.Set;

/**
 * {@code localize}: for each class found (score at least {@code minScore}, default 0.5; else the top
 * one) or asked for ({@code classes}), its score, the box of its thresholded class activation map in
 * input pixels ({@code threshold}: fraction of the map's maximum, default the model's), the map's
 * peak, a heatmap PNG and an overlay PNG. When the model has an out-of-distribution rule, an input
 * above its cut gets {@code outOfDistribution} and no detections (option {@code abstain}, default true).
 */
@Singleton
public final class LocalizeTask implements ServesModels, ReportsSection {

    static final double DEFAULT_MIN_SCORE = 0.5;

    @Override
    public String task() {
        return "localize";
    }

    @Override
    public String defaultModel() {
        return "mnist-cam";
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return new LocalizeTranslator();
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        List<String> labels = model.card().labels();
        for (JsonNode c : job.options().path("classes")) {
            if (!labels.contains(c.asText())) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.classes names '" + c.asText()
                        + "', which model " + model.card().id() + " does not know (it knows " + labels + ")", job.jobId());
            }
        }
    }

    /** A table of the detections: label, score, box (input pixels) and the map's peak. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("detections"), item -> {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode d : item.path("detections")) {
                JsonNode b = d.path("box");
                String box = b.isMissingNode() ? "none above the threshold"
                        : b.path("x").asInt() + ", " + b.path("y").asInt() + " &nbsp;" + b.path("width").asInt() + "&times;"
                                + b.path("height").asInt();
                rows.add(List.of(Html.esc(d.path("label").asText()), Html.score(d.path("score")), box,
                        d.path("peak").path("x").asInt() + ", " + d.path("peak").path("y").asInt()));
            }
            return Html.table(List.of("label", "score", "box x, y  w×h", "peak"), rows);
        });
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, CamResult> model = work.model();
        ModelCard card = model.card();
        JsonNode options = work.plan().job().options();
        double threshold = options.path("threshold").asDouble(card.taskOption(CamBoxes.THRESHOLD_OPTION, CamBoxes.DEFAULT_THRESHOLD));
        double minScore = options.path("minScore").asDouble(DEFAULT_MIN_SCORE);
        Preprocessor.Spec spec = card.input().spec();
        ImageTensor tensor = Preprocessor.toTensor(image, spec);
        Map<String, Object> extra = new LinkedHashMap<>();
        ItemResult abstained = Abstention.apply(model.outOfDistribution(), work, image, tensor, spec, null, extra);
        if (abstained != null) { // no boxes of digits found in a photo
            return CompletableFuture.completedFuture(abstained);
        }
        return model.infer(tensor, work.priority()).thenComposeAsync(cam -> {
            List<Integer> classes = chosen(cam, card, options, minScore);
            List<CompletableFuture<Map<String, Object>>> detections = new ArrayList<>();
            for (int c : classes) {
                detections.add(detection(work, image, cam, c, card.labels().get(c), threshold));
            }
            return CompletableFuture.allOf(detections.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Map<String, Object>> found = detections.stream().map(CompletableFuture::join).toList();
                // also as the item's artifacts, which the report shows beside the input
                Map<String, String> files = new LinkedHashMap<>();
                for (Map<String, Object> d : found) {
                    files.put("overlay-" + d.get("label"), (String) d.get("overlay"));
                    files.put("heatmap-" + d.get("label"), (String) d.get("heatmap"));
                }
                extra.put("detections", found);
                return Items.succeeded(work, image, null, files, extra);
            });
        }, work.cpu());
    }

    /** The classes asked for, else those scoring at least {@code minScore}, else the top one. */
    static List<Integer> chosen(CamResult cam, ModelCard card, JsonNode options, double minScore) {
        List<Integer> out = new ArrayList<>();
        if (options.path("classes").isArray() && options.path("classes").size() > 0) {
            options.path("classes").forEach(c -> out.add(card.labels().indexOf(c.asText())));
            return out;
        }
        for (int c = 0; c < cam.classes(); c++) {
            if (cam.scores()[c] >= minScore) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            out.add(cam.topClass());
        }
        out.sort((a, b) -> Float.compare(cam.scores()[b], cam.scores()[a]));
        return out;
    }

    private CompletableFuture<Map<String, Object>> detection(ItemWork work, BufferedImage image, CamResult cam, int c,
            String label, double threshold) {
        int w = image.getWidth();
        int h = image.getHeight();
        CamBoxes.Localization loc = CamBoxes.locate(cam, c, w, h, threshold);
        float[] heat = normalised(loc.heatmap());
        int[] colors = new int[heat.length];
        float[] alpha = new float[heat.length];
        for (int i = 0; i < heat.length; i++) {
            colors[i] = Colors.heat(heat[i]);
            alpha[i] = 0.6f * heat[i];
        }
        int index = work.input().index();
        String safe = label.replaceAll("[^A-Za-z0-9._-]", "_");
        ArtifactWriter out = work.artifacts();
        CompletableFuture<String> heatUri = out.write(ArtifactWriter.itemKey(index, "heatmap-" + safe + ".png"),
                Png.encode(Colors.heatmap(heat, w, h)), "image/png");
        CompletableFuture<String> overlayUri = out.write(ArtifactWriter.itemKey(index, "overlay-" + safe + ".png"),
                Png.encode(Colors.blend(image, colors, alpha)), "image/png");
        return heatUri.thenCombine(overlayUri, (hm, ov) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("label", label);
            d.put("score", Math.round(cam.scores()[c] * 1e6) / 1e6);
            Box box = loc.box();
            if (box != null) {
                d.put("box", Map.of("x", box.x0(), "y", box.y0(), "width", box.width(), "height", box.height()));
            }
            d.put("peak", Map.of("x", loc.peakX(), "y", loc.peakY()));
            d.put("heatmap", hm);
            d.put("overlay", ov);
            return d;
        });
    }

    /** The map scaled to [0, 1] by its maximum; negative evidence shows as nothing. */
    static float[] normalised(float[] map) {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        if (max > 0) {
            for (int i = 0; i < map.length; i++) {
                out[i] = Math.max(0, map[i] / max);
            }
        }
        return out;
    }
}
