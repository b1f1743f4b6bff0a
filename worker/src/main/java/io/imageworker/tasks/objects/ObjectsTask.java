package io.imageworker.tasks.objects;

import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Png;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.LoadsOnDemand;
import io.imageworker.tasks.PhotoLabels;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.SubsamplesInput;
import io.imageworker.tasks.faces.Letterbox;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code objects} (Cloud Vision's OBJECT_LOCALIZATION): every COCO-80 object in the photo with its
 * name, score and box in input pixels, plus an overlay PNG. NanoDet-m (a TF.js graph model imported
 * to a {@code tf-graph} block on MXNet, {@code nanodet-m-coco}): the photo is letterboxed (never
 * stretched) into its 416 px square input, shrunk to fit but never enlarged ({@link #MAX_UPSCALE}),
 * normalised as NanoDet trained (BGR, the card's mean and std), and the six outputs decoded by
 * {@link NanodetDecoder} (distance-bin distributions, per-class NMS at IoU 0.6 as upstream).
 *
 * <p>Job options ({@link ObjectOptions}): {@code minScore}, {@code maxResults}, {@code classes}, {@code overlay}.
 * Item fields: {@code objects} ({@code [{name, score, box {x, y, width, height}}]}, best first, in
 * pixels of the input as a viewer shows it: EXIF-turned, and times the subsampling when it was
 * decoded subsampled) and {@code objectCount}; artifact {@code overlay}.
 *
 * <p>As {@link PhotoLabels} it also answers LABEL_DETECTION on the photos the digit model abstains
 * on: the COCO-80 classes found, as {@link ObjectLabels#annotation} maps them.
 *
 * <p>Its model is not preloaded by default ({@link LoadsOnDemand}): it loads on the first objects job.
 */
@Singleton
public final class ObjectsTask implements ServesModels, SubsamplesInput, PhotoLabels, ReportsSection, LoadsOnDemand {

    /** The decoding family this task serves: a TF.js graph with NanoDet's six outputs. */
    public static final String ARCHITECTURE = "tf-graph";
    /**
     * Most times a photo is enlarged into the model input: 1, never. A picture smaller than 416 px
     * lies at its own size in the middle of the padded square, as the faces task does (enlarged small
     * pictures are blurred shapes a detector reads things into, docs/tasks/faces.md).
     */
    public static final double MAX_UPSCALE = 1;

    @Override
    public String task() {
        return "objects";
    }

    @Override
    public String defaultModel() {
        return "nanodet-m-coco";
    }

    /**
     * @throws IllegalArgumentException for a card that is not a {@value #ARCHITECTURE} with a square input
     */
    @Override
    public Translator<?, ?> translator(ModelCard card) {
        if (!ARCHITECTURE.equals(card.architecture()) || card.input().width() != card.input().height()) {
            throw new IllegalArgumentException("task objects serves NanoDet as a " + ARCHITECTURE + " with a square input; model "
                    + card.id() + " is a '" + card.architecture() + "' of " + card.input().width() + "x" + card.input().height());
        }
        return new NanodetTranslator();
    }

    /** Twice the model's input side: the letterbox averages those pixels down instead of picking some. */
    @Override
    public int inputSide(JobPlan plan) {
        return plan.model() == null ? 0 : 2 * plan.model().card().input().width();
    }

    /**
     * Rejects ({@link Rejection#INVALID_JOB}) options {@link ObjectOptions#read} refuses, with its reason.
     */
    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        try {
            ObjectOptions.read(job.options(), ObjectOptions.DEFAULT_MIN_SCORE);
            ObjectOptions.overlay(job.options());
        } catch (IllegalArgumentException e) {
            throw Rejection.exception(Rejection.INVALID_JOB, e.getMessage(), job.jobId());
        }
    }

    /** OBJECT_LOCALIZATION. */
    @Override
    public String visionFeature() {
        return "OBJECT_LOCALIZATION";
    }

    /** {@code maxResults} as asked (default the task's). */
    @Override
    public ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        return maxResults > 0 ? o.put(ObjectOptions.MAX_RESULTS, Math.min(maxResults, ObjectOptions.MAX_MAX_RESULTS)) : o;
    }

    /** {@code localizedObjectAnnotations}, as {@link ObjectVision#annotation} maps them. */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        return ObjectVision.annotation(item);
    }

    /** The COCO-80 classes found, as {@link ObjectLabels#annotation} maps them. */
    @Override
    public ObjectNode labelAnnotations(JsonNode item, int maxResults) {
        return ObjectLabels.annotation(item, maxResults);
    }

    /** {@code {"overlay": false}}: the objects without the overlay PNG. */
    @Override
    public ObjectNode withoutArtifacts() {
        return JsonNodeFactory.instance.objectNode().put(ObjectOptions.OVERLAY, false);
    }

    /** {@value CocoLabels#SET}. */
    @Override
    public String labelSet() {
        return CocoLabels.SET;
    }

    /** A table of the objects: name, score, box (input pixels). */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ObjectReport.section();
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, NanodetOutput> model = work.model();
        ModelCard card = model.card();
        NanodetDecoder.Options options = ObjectOptions.read(work.plan().job().options(),
                card.taskOption(ObjectOptions.MIN_SCORE, ObjectOptions.DEFAULT_MIN_SCORE));
        BufferedImage rgb = Preprocessor.flatten(image);
        int size = card.input().width();
        Letterbox view = Letterbox.whole(rgb.getWidth(), rgb.getHeight(), size, MAX_UPSCALE);
        ImageTensor input = Preprocessor.toTensor(view.render(rgb), card.input().spec());
        return model.infer(input, work.priority()).thenApplyAsync(out -> {
            List<NanodetDecoder.Detection> d = NanodetDecoder.decode(out.scores(), out.boxes(), size, options);
            return FoundObject.inInput(d, view, rgb.getWidth(), rgb.getHeight(), work.subsampling());
        }, work.cpu()).thenCompose(objects -> {
            List<Map<String, Object>> json = new ArrayList<>();
            List<FoundObject> drawn = new ArrayList<>();
            for (FoundObject o : objects) {
                json.add(o.json());
                drawn.add(o.scaled(1.0 / work.subsampling())); // the overlay is the decoded image
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("objects", json);
            extra.put("objectCount", objects.size());
            if (!ObjectOptions.overlay(work.plan().job().options())) {
                return CompletableFuture.completedFuture(Items.succeeded(work, image, null, extra));
            }
            return work.artifacts().write(ArtifactWriter.itemKey(work.input().index(), "overlay.png"),
                    Png.encode(ObjectOverlay.draw(rgb, drawn)), "image/png")
                    .thenApply(uri -> Items.succeeded(work, image, null, Map.of("overlay", uri), extra));
        });
    }
}
