package io.imageworker.tasks.segment;

import jakarta.inject.Singleton;
import ai.djl.translate.Translator;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.Colors;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Png;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.ComparesModels;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Abstention;
import io.imageworker.tasks.Items;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.JobPlan;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.regex.Pattern;

/**
 * {@code segment}: a class-index mask PNG (one byte per pixel, the input's size), a colour overlay
 * on the input (option {@code overlayOpacity}, default 0.5) and the share of pixels per class. When the
 * model has an out-of-distribution rule, an input above its cut gets {@code outOfDistribution} and
 * no mask (option {@code abstain}, default true). Option {@code compare} (a list of up to
 * {@value #MAX_COMPARE} other segment models, {@code name} or {@code name:version}) runs each of them
 * too on every item, beside the job's model, for a side-by-side view (see {@link #process}).
 */
@Singleton
public final class SegmentTask implements ServesModels, ComparesModels, ReportsSection {

    static final double DEFAULT_OPACITY = 0.5;
    /** Job option: other segment models to run on every item beside the job's own. */
    public static final String COMPARE = "compare";
    /** Item field: each compared model's fields by model id. */
    public static final String COMPARED = "compared";
    /**
     * Most models a job may compare with its own (the job schema's {@code maxItems}): each runs on
     * every item, so a job of n items with k compared models costs k + 1 times the inference.
     */
    static final int MAX_COMPARE = 4;
    /** A model reference: {@code name} or {@code name:version} (the job schema's {@code model} pattern). */
    private static final Pattern MODEL_REF = Pattern.compile("[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?");

    @Override
    public String task() {
        return "segment";
    }

    @Override
    public String defaultModel() {
        return "mnist-seg-deeplab";
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return new SegmentTranslator(card);
    }

    /**
     * Rejects ({@link Rejection#UNKNOWN_MODEL}) a model without labels or with more than 256 classes
     * (called for each compared model too). A malformed {@code compare} is rejected where the planner
     * reads it ({@link #comparedModels}).
     */
    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        if (model.card().labels() == null || model.card().labels().size() > 256) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, "model " + model.card().id()
                    + " must name between 1 and 256 classes to write a one-byte mask", job.jobId());
        }
    }

    /** The job's {@code compare} list ({@link #compare(JsonNode, String)}). */
    @Override
    public List<String> comparedModels(JobRequest job) throws Rejection.Exception {
        return compare(job.options(), job.jobId());
    }

    /**
     * The model references of option {@code compare} in {@code options}, in order; empty when absent.
     * Whether each names a served segment model is the planner's check.
     *
     * @throws Rejection.Exception ({@link Rejection#INVALID_JOB}) unless it is a list of 1 to
     *     {@value #MAX_COMPARE} distinct strings, each {@code name} or {@code name:version}
     */
    static List<String> compare(JsonNode options, String jobId) throws Rejection.Exception {
        JsonNode list = options == null ? null : options.get(COMPARE);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_COMPARE) {
            throw Rejection.exception(Rejection.INVALID_JOB, "options.compare must be a list of 1 to " + MAX_COMPARE
                    + " other segment models ('name' or 'name:version'), not " + list, jobId);
        }
        Set<String> refs = new LinkedHashSet<>();
        for (JsonNode ref : list) {
            if (!ref.isTextual() || !MODEL_REF.matcher(ref.asText()).matches()) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.compare: " + ref
                        + " is not a model reference ('name' or 'name:version')", jobId);
            }
            if (!refs.add(ref.asText())) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.compare names " + ref + " twice", jobId);
            }
        }
        return List.copyOf(refs);
    }

    /**
     * A colour legend of the classes found, in the overlay's colours, with the share of pixels of each;
     * in a job that compares models, one share column per model (the job's first) and each overlay
     * captioned with its model's id.
     */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        List<String> labels = plan.model() == null ? List.of() : plan.model().card().labels();
        if (plan.compared().isEmpty()) {
            return ReportSection.of(Set.of("classFractions"), item -> {
                List<List<String>> rows = new ArrayList<>();
                item.path("classFractions").fields().forEachRemaining(f ->
                        rows.add(List.of(legend(labels, f.getKey()), Html.percent(f.getValue()))));
                return Html.table(List.of("class", "pixels"), rows);
            });
        }
        String own = plan.model().card().id();
        List<String> ids = new ArrayList<>(List.of(own));
        plan.compared().forEach(m -> ids.add(m.card().id()));
        List<List<String>> labelSets = new ArrayList<>(List.of(labels));
        plan.compared().forEach(m -> labelSets.add(m.card().labels()));
        return ReportSection.of(Set.of("classFractions", COMPARED), item -> {
            List<JsonNode> answers = new ArrayList<>(List.of(item));
            ids.subList(1, ids.size()).forEach(id -> answers.add(item.path(COMPARED).path(id)));
            List<List<String>> rows = compareRows(labelSets, answers);
            List<String> header = new ArrayList<>(List.of("class"));
            header.addAll(ids); // the table escapes its header
            return Html.table(header, rows);
        }, artifact -> artifact.equals("overlay") ? own
                : artifact.startsWith("overlay-") ? artifact.substring("overlay-".length())
                : artifact.startsWith("mask") ? null : artifact);
    }

    /**
     * The rows of a comparison's share table: one per class any model found, in order of first
     * appearance; a legend cell, then each model's share of pixels ({@code abstained} where it
     * abstained, 0.0% where it found none). Each model colours a class by its index in its own labels,
     * so the legend takes the colour of the first model that knows the class, and a share whose model
     * colours the class otherwise carries that model's swatch.
     *
     * @param labelSets each model's labels, the job's model first
     * @param answers each model's item fields, in the same order
     */
    static List<List<String>> compareRows(List<List<String>> labelSets, List<JsonNode> answers) {
        Set<String> classes = new LinkedHashSet<>();
        answers.forEach(a -> a.path("classFractions").fieldNames().forEachRemaining(classes::add));
        List<List<String>> rows = new ArrayList<>();
        for (String c : classes) {
            List<String> legendLabels = labelSets.stream().filter(l -> l.contains(c)).findFirst().orElse(labelSets.get(0));
            List<String> row = new ArrayList<>(List.of(legend(legendLabels, c)));
            for (int k = 0; k < answers.size(); k++) {
                JsonNode a = answers.get(k);
                int colour = labelSets.get(k).indexOf(c);
                String swatch = colour > 0 && colour != legendLabels.indexOf(c) ? Html.swatch(Colors.classHex(colour)) + " " : "";
                // a class a model found no pixel of reads 0.0% (a missing node reads as 0)
                row.add(a.has("outOfDistribution") ? "abstained" : swatch + Html.percent(a.path("classFractions").path(c)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A class's legend cell: its overlay colour (none for background) and its escaped label. */
    private static String legend(List<String> labels, String label) {
        int c = labels.indexOf(label);
        return (c <= 0 ? "" : Html.swatch(Colors.classHex(c)) + " ") + Html.esc(label);
    }

    /**
     * Runs the job's model and each compared one ({@link JobPlan#compared()}) on the item, side by
     * side on their own batchers. The job's model gives the item's fields and its {@code mask} and
     * {@code overlay} as without comparison; each compared model adds {@code mask-<id>} and
     * {@code overlay-<id>} (files under {@code items/<index>/compare/<name>/<version>/}) and its fields
     * ({@code classFractions}, or {@code outOfDistribution} when it abstains, and {@code oodScore})
     * under {@code compared.<id>}. The item fails when any of the models fails on it.
     */
    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        float opacity = (float) work.plan().job().options().path("overlayOpacity").asDouble(DEFAULT_OPACITY);
        CompletableFuture<Segmented> own = segment(work, work.model(), true, image, opacity);
        List<CompletableFuture<Segmented>> others = new ArrayList<>();
        for (ServedModel<?, ?> m : work.plan().compared()) {
            others.add(segment(work, typed(m), false, image, opacity));
        }
        List<CompletableFuture<Segmented>> all = new ArrayList<>(others);
        all.add(own);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Object> extra = new LinkedHashMap<>(own.join().fields());
            Map<String, String> artifacts = new LinkedHashMap<>(own.join().artifacts());
            if (!others.isEmpty()) {
                Map<String, Object> compared = new LinkedHashMap<>();
                for (int k = 0; k < others.size(); k++) {
                    Segmented s = others.get(k).join();
                    compared.put(work.plan().compared().get(k).card().id(), s.fields());
                    artifacts.putAll(s.artifacts());
                }
                extra.put(COMPARED, compared);
            }
            return Items.succeeded(work, image, null, artifacts, extra);
        });
    }

    /** One model's answer for an item: its fields ({@code oodScore}, {@code classFractions} or {@code outOfDistribution}) and artifacts by name. */
    private record Segmented(Map<String, Object> fields, Map<String, String> artifacts) {}

    @SuppressWarnings("unchecked")
    private static ServedModel<ImageTensor, SegmentMask> typed(ServedModel<?, ?> model) {
        return (ServedModel<ImageTensor, SegmentMask>) model;
    }

    /**
     * Segments the item with {@code model}: the job's own ({@code own}: artifacts {@code mask} and
     * {@code overlay}) or a compared one (named after its id, in a folder of their own).
     */
    private static CompletableFuture<Segmented> segment(ItemWork work, ServedModel<ImageTensor, SegmentMask> model,
            boolean own, BufferedImage image, float opacity) {
        ModelCard card = model.card();
        Preprocessor.Spec spec = card.input().spec();
        ImageTensor tensor = Preprocessor.toTensor(image, spec);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (Abstention.apply(model.outOfDistribution(), work, image, tensor, spec, null, extra) != null) {
            // no mask of digits drawn into a photo
            return CompletableFuture.completedFuture(new Segmented(extra, Map.of()));
        }
        String key = own ? "" : "-" + card.id();
        String folder = own ? "" : "compare/" + card.name() + "/" + card.version() + "/";
        return model.infer(tensor, work.priority()).thenComposeAsync(mask -> {
            int w = image.getWidth();
            int h = image.getHeight();
            byte[] classes = upsample(mask, w, h);
            long[] counts = new long[mask.classes()];
            int[] colors = new int[w * h];
            float[] alpha = new float[w * h];
            for (int i = 0; i < classes.length; i++) {
                int c = classes[i] & 0xff;
                counts[c]++;
                if (c != 0) {
                    colors[i] = Colors.classColor(c);
                    alpha[i] = opacity;
                }
            }
            Map<String, Object> fractions = new LinkedHashMap<>();
            List<String> labels = card.labels();
            for (int c = 0; c < counts.length; c++) {
                if (counts[c] > 0) {
                    fractions.put(c < labels.size() ? labels.get(c) : Integer.toString(c),
                            Math.round(1e4 * counts[c] / (double) classes.length) / 1e4);
                }
            }
            int index = work.input().index();
            ArtifactWriter out = work.artifacts();
            CompletableFuture<String> maskUri = out.write(ArtifactWriter.itemKey(index, folder + "mask.png"),
                    Png.encode(Png.grey(classes, w, h)), "image/png");
            CompletableFuture<String> overlayUri = out.write(ArtifactWriter.itemKey(index, folder + "overlay.png"),
                    Png.encode(Colors.blend(image, colors, alpha)), "image/png");
            extra.put("classFractions", fractions);
            return maskUri.thenCombine(overlayUri, (m, o) -> {
                Map<String, String> artifacts = new LinkedHashMap<>();
                artifacts.put("mask" + key, m);
                artifacts.put("overlay" + key, o);
                return new Segmented(extra, artifacts);
            });
        }, work.cpu());
    }

    /** Nearest-neighbour upsampling of the model's mask to the input's size. */
    static byte[] upsample(SegmentMask mask, int width, int height) {
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int my = Math.min(mask.height() - 1, (int) ((y + 0.5) * mask.height() / height));
            for (int x = 0; x < width; x++) {
                int mx = Math.min(mask.width() - 1, (int) ((x + 0.5) * mask.width() / width));
                out[y * width + x] = (byte) mask.at(mx, my);
            }
        }
        return out;
    }
}
