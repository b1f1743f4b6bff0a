package io.imageworker.tasks.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.VisionJson;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code echo}: a task that lives only in test sources, to prove that a task is one package. It says
 * back each image's size in pixels and the job's {@code note} (option, a string of at most 20
 * characters: {@code task.schema.json} beside it), needs no model, and answers Cloud Vision's
 * {@code CROP_HINTS} with one hint, the whole image. Nothing outside this package names it.
 */
@Singleton
public final class EchoTask implements VisionAnswer {

    /** The task's name. */
    public static final String TASK = "echo";

    @Override
    public String task() {
        return TASK;
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) {
        // the schema fragment bounds note; nothing else to check
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("width", image.getWidth());
        echo.put("height", image.getHeight());
        echo.put("note", work.plan().job().options().path("note").asText(""));
        return CompletableFuture.completedFuture(Items.succeeded(work, image, null, Map.of(TASK, echo)));
    }

    /** CROP_HINTS: the one crop hint the task can give, the whole image. */
    @Override
    public String visionFeature() {
        return "CROP_HINTS";
    }

    /** {@code cropHintsAnnotation.cropHints}: the whole image, confidence 1. */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode echo = item.path(TASK);
        out.putObject("cropHintsAnnotation").putArray("cropHints").addObject()
                .<ObjectNode>set("boundingPoly", VisionJson.box(0, 0, echo.path("width").asDouble(), echo.path("height").asDouble()))
                .put("confidence", 1.0);
        return out;
    }
}
