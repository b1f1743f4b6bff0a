package io.imageworker.training.segment;

import io.imageworker.models.ModelCard;
import io.imageworker.training.Recipe;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A segmentation recipe: a network trained on freshly generated scenes of MNIST training digits
 * (see {@link SceneGenerator}), measured on scenes of test digits.
 *
 * @param name recipe name
 * @param description one line
 * @param architecture architecture name for the model card
 * @param options architecture options
 * @param defaultEpochs epochs when not given
 * @param stepsPerEpoch steps of {@code batchSize} new scenes per epoch
 * @param batchSize scenes per step
 * @param lrStart Adam learning rate at step 0
 * @param lrEnd rate the schedule decays towards
 * @param lrFolds e-folds of the excess over {@code lrEnd} across the whole run
 */
public record SegmentRecipe(
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

    /** Scenes per epoch, and the seed, of the validation scenes (training digits) logged each epoch. */
    static final int VALIDATION_SCENES = 200;
    static final long VALIDATION_SEED = 7_001;

    /** The FCN-style and DeepLab-style recipes. */
    public static List<SegmentRecipe> all() {
        return List.of(
                new SegmentRecipe("seg-fcn",
                        "FCN-style: conv encoder to 1/8, fc6 5x5 / fc7 1x1 convolutionalised classifier, learned upsampling"
                                + " (nearest x2 + conv) with skips at 1/4, 1/2 and full resolution",
                        "seg-fcn", Map.of("classes", SceneGenerator.CLASSES, "width", 16, "fc", 256, "fcKernel", 5), 12,
                        500, 32, 0.002f, 0.00002f, 3f),
                new SegmentRecipe("seg-deeplab",
                        "DeepLab-style: encoder to 1/4, atrous convs (rates 2, 4) + atrous pyramid (1, 2, 4, 8), decoder",
                        "seg-deeplab", Map.of("classes", SceneGenerator.CLASSES, "width", 16), 12, 500, 32, 0.002f,
                        0.00002f, 3f));
    }

    @Override
    public String task() {
        return "segment";
    }

    @Override
    public ModelCard train(TrainRequest request, TrainingLog log) throws IOException {
        return new SegmentTraining(this).run(request, log);
    }
}
