package io.imageworker.training.classify;

import io.imageworker.models.ModelCard;
import io.imageworker.training.Recipe;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One rung of the material's MNIST ladder.
 *
 * @param name recipe name
 * @param description one line
 * @param architecture architecture name for the model card
 * @param options architecture options
 * @param defaultEpochs epochs when not given
 * @param batchSize examples per step
 * @param lrStart Adam learning rate at step 0
 * @param lrEnd rate the schedule decays towards (equal to {@code lrStart} for a fixed rate)
 * @param decaySteps steps for the excess over {@code lrEnd} to shrink by e
 * @param shiftPixels random translation of training digits by up to this many pixels (0: none)
 * @param materialAccuracy what the material reports for this rung, for the table in docs/models.md ("The classification ladder")
 */
public record ClassifierRecipe(
        String name,
        String description,
        String architecture,
        Map<String, Object> options,
        int defaultEpochs,
        int batchSize,
        float lrStart,
        float lrEnd,
        float decaySteps,
        int shiftPixels,
        double materialAccuracy)
        implements Recipe {

    /** The ladder, in the material's order. */
    public static List<ClassifierRecipe> ladder() {
        Map<String, Object> ten = Map.of("classes", 10);
        return List.of(
                new ClassifierRecipe("softmax", "softmax regression: one dense layer", "softmax", ten,
                        5, 100, 0.003f, 0.003f, 1, 0, 0.92),
                new ClassifierRecipe("mlp-sigmoid", "5 dense layers 200/100/60/30/10, sigmoid", "mlp",
                        Map.of("activation", "sigmoid", "classes", 10), 10, 100, 0.003f, 0.003f, 1, 0, 0.97),
                new ClassifierRecipe("mlp-relu", "5 dense layers, ReLU", "mlp",
                        Map.of("activation", "relu", "classes", 10), 10, 100, 0.003f, 0.003f, 1, 0, 0.98),
                new ClassifierRecipe("mlp-relu-decay", "5 dense layers, ReLU, learning rate 0.003 -> 0.0001", "mlp",
                        Map.of("activation", "relu", "classes", 10), 10, 100, 0.003f, 0.0001f, 2000, 0, 0.98),
                new ClassifierRecipe("mlp-relu-dropout", "5 dense layers, ReLU, decay, dropout (keep 0.75)", "mlp",
                        Map.of("activation", "relu", "dropout", 0.25, "classes", 10), 10, 100, 0.003f, 0.0001f, 2000,
                        0, 0.982),
                new ClassifierRecipe("cnn-small", "CNN 4/8/12 (5x5 s1, 5x5 s2, 4x4 s2), dense 200, decay", "cnn",
                        Map.of("channels", List.of(4, 8, 12), "firstKernel", 5, "classes", 10), 10, 100, 0.003f,
                        0.0001f, 2000, 0, 0.989),
                new ClassifierRecipe("cnn-big", "CNN 6/12/24 (6x6 s1, 5x5 s2, 4x4 s2), dense 200, dropout, decay",
                        "cnn", Map.of("channels", List.of(6, 12, 24), "firstKernel", 6, "dropout", 0.25,
                                "classes", 10),
                        10, 100, 0.003f, 0.0001f, 2000, 0, 0.993),
                new ClassifierRecipe("cnn-bn", "CNN 24/48/64 + batch norm, dense 200, dropout, decay, shifts +-2 px",
                        "cnn-bn", Map.of("dropout", 0.25, "classes", 10), 15, 100, 0.003f, 0.0001f, 2000, 2,
                        0.995));
    }

    @Override
    public String task() {
        return "classify";
    }

    @Override
    public ModelCard train(TrainRequest request, TrainingLog log) throws IOException {
        return new ClassifierTraining(this).run(request, log);
    }
}
