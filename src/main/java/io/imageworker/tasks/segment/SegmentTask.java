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
import io.imageworker.intake.Rejection;
import io.imageworker.models.ModelCard;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Abstention;
import io.imageworker.tasks.Items;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.JobPlan;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Set;

/**
 * {@code segment}: a class-index mask PNG (one byte per pixel, the input's size), a colour overlay
 * on the input (option {@code overlayOpacity}, default 0.5) and the share of pixels per class. When the
 * model has an out-of-distribution rule, an input above its cut gets {@code outOfDistribution} and
 * no mask (option {@code abstain}, default true).
 */
@Singleton
public final class SegmentTask implements TaskHandler {

    static final double DEFAULT_OPACITY = 0.5;

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

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        if (model.card().labels() == null || model.card().labels().size() > 256) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, "model " + model.card().id()
                    + " must name between 1 and 256 classes to write a one-byte mask", job.jobId());
        }
    }

    /** A colour legend of the classes found, in the overlay's colours, with the share of pixels of each. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        List<String> labels = plan.model() == null ? List.of() : plan.model().card().labels();
        return ReportSection.of(Set.of("classFractions"), item -> {
            List<List<String>> rows = new ArrayList<>();
            item.path("classFractions").fields().forEachRemaining(f -> {
                int c = labels.indexOf(f.getKey());
                String colour = c <= 0 ? "" : Html.swatch(Colors.classHex(c)) + " ";
                rows.add(List.of(colour + Html.esc(f.getKey()), Html.percent(f.getValue())));
            });
            return Html.table(List.of("class", "pixels"), rows);
        });
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, SegmentMask> model = work.model();
        ModelCard card = model.card();
        Preprocessor.Spec spec = card.input().spec();
        ImageTensor tensor = Preprocessor.toTensor(image, spec);
        float opacity = (float) work.plan().job().options().path("overlayOpacity").asDouble(DEFAULT_OPACITY);
        Map<String, Object> extra = new LinkedHashMap<>();
        ItemResult abstained = Abstention.apply(model.outOfDistribution(), work, image, tensor, spec, null, extra);
        if (abstained != null) { // no mask of digits drawn into a photo
            return CompletableFuture.completedFuture(abstained);
        }
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
            CompletableFuture<String> maskUri = out.write(ArtifactWriter.itemKey(index, "mask.png"),
                    Png.encode(Png.grey(classes, w, h)), "image/png");
            CompletableFuture<String> overlayUri = out.write(ArtifactWriter.itemKey(index, "overlay.png"),
                    Png.encode(Colors.blend(image, colors, alpha)), "image/png");
            extra.put("classFractions", fractions);
            return maskUri.thenCombine(overlayUri, (m, o) -> Items.succeeded(work, image, null,
                    Map.of("mask", m, "overlay", o), extra));
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
