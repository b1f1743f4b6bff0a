package io.imageworker.training.localize;

import io.imageworker.models.ModelCard;
import io.imageworker.training.Recipe;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The CAM recipe: convolutions -> global average pooling -> dense, trained on canvases of MNIST
 * training digits with image-level (multi-label) targets only; the box threshold is then chosen on
 * validation canvases of training digits and recorded in the card.
 *
 * @param name recipe name
 * @param description one line
 * @param architecture architecture name for the model card
 * @param options architecture options
 * @param defaultEpochs epochs when not given
 * @param stepsPerEpoch steps of {@code batchSize} new canvases per epoch
 * @param batchSize canvases per step
 * @param lrStart Adam learning rate at step 0
 * @param lrEnd rate the schedule decays towards
 * @param lrFolds e-folds of the excess over {@code lrEnd} across the whole run
 */
public record LocalizeRecipe(
        String name,
        String description,
        String architecture,
        Map<String, Object> options,
        int defaultEpochs,
        int stepsPerEpoch,
        int batchSize,
        float lrStart,
        float lrEnd,
        float lrFolds)
        implements Recipe {

    public static List<LocalizeRecipe> all() {
        return List.of(new LocalizeRecipe("cam",
                "CAM: convs 16/32/32/64/64/128 (field ~29 px, map 1/4), global average pooling, dense; multi-label",
                "cam", Map.of("classes", CanvasGenerator.CLASSES, "width", 16), 6, 500, 32, 0.002f, 0.00002f, 4f));
    }

    @Override
    public String task() {
        return "localize";
    }

    @Override
    public ModelCard train(TrainRequest request, TrainingLog log) throws IOException {
        return new LocalizeTraining(this).run(request, log);
    }
}
