package io.imageworker.tasks.properties;

import jakarta.inject.Singleton;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.DominantColors;
import io.imageworker.inference.ServedModel;
import io.imageworker.intake.Rejection;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.JobPlan;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Set;

/** {@code properties}: dominant colours with their pixel fractions (option {@code maxColors}, default 5); no model. */
@Singleton
public final class PropertiesTask implements TaskHandler {

    static final int DEFAULT_COLORS = 5;

    @Override
    public String task() {
        return "properties";
    }

    @Override
    public boolean usesModel() {
        return false;
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        // the schema bounds maxColors; nothing depends on a model
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
