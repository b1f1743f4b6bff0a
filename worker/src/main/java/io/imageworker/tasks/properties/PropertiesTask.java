package io.imageworker.tasks.properties;

import jakarta.inject.Singleton;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.DominantColors;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.WritesNoArtifacts;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.JobPlan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Set;

/** {@code properties}: dominant colours with their pixel fractions (option {@code maxColors}, default 5); no model. */
@Singleton
public final class PropertiesTask implements VisionAnswer, ReportsSection, WritesNoArtifacts {

    static final int DEFAULT_COLORS = 5;

    @Override
    public String task() {
        return "properties";
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        // the schema bounds maxColors; nothing depends on a model
    }

    /** IMAGE_PROPERTIES: the dominant colours. */
    @Override
    public String visionFeature() {
        return "IMAGE_PROPERTIES";
    }

    /** {@code maxColors}: {@code maxResults}, default Cloud Vision's 10 colours, at most 20. */
    @Override
    public ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        return JsonNodeFactory.instance.objectNode().put("maxColors", Math.min(maxResults > 0 ? maxResults : 10, 20));
    }

    /**
     * {@code imagePropertiesAnnotation.dominantColors.colors}: each colour as {@code color {red, green,
     * blue}} (0-255), {@code pixelFraction}, and {@code score}, which Cloud Vision computes its own way
     * and which here is the pixel fraction too.
     */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var colors = out.putObject("imagePropertiesAnnotation").putObject("dominantColors").putArray("colors");
        for (JsonNode c : item.path("colors")) {
            int rgb = Integer.parseInt(c.path("hex").asText().substring(1), 16);
            ObjectNode entry = colors.addObject();
            entry.putObject("color").put("red", rgb >> 16 & 0xff).put("green", rgb >> 8 & 0xff).put("blue", rgb & 0xff);
            entry.put("score", c.path("fraction").asDouble()).put("pixelFraction", c.path("fraction").asDouble());
        }
        return out;
    }

    /** The dominant colours as swatches with their hex codes and shares of the image. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("colors"), item -> {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode c : item.path("colors")) {
                String hex = c.path("hex").asText();
                rows.add(List.of(Html.swatch(hex) + " " + Html.esc(hex), Html.percent(c.path("fraction"))));
            }
            return Html.table(List.of("colour", "share"), rows);
        });
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        int count = work.plan().job().options().path("maxColors").asInt(DEFAULT_COLORS);
        List<DominantColors.Swatch> colors = DominantColors.of(image, count);
        return CompletableFuture.completedFuture(Items.succeeded(work, image, null, Map.of("colors", colors)));
    }
}
