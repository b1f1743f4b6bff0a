package io.imageworker.training;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import io.imageworker.models.ModelCard;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recipe that trains on images generated afresh at every step from MNIST training digits (the
 * segmentation scenes, the CAM canvases), with Adam and an exponentially decaying learning rate.
 *
 * @param name recipe name ({@code train --recipe})
 * @param task the task its model serves
 * @param description one line
 * @param architecture architecture name for the model card
 * @param options architecture options
 * @param defaultEpochs epochs when not given
 * @param stepsPerEpoch steps of {@code batchSize} new images per epoch
 * @param batchSize images per step
 * @param lrStart Adam learning rate at step 0
 * @param lrEnd rate the schedule decays towards
 * @param lrFolds e-folds of the excess over {@code lrEnd} across the whole run
 * @param trainer the task's training run
 */
public record GeneratedDataRecipe(
        String name,
        String task,
        String description,
        String architecture,
        Map<String, Object> options,
        int defaultEpochs,
        int stepsPerEpoch,
        int batchSize,
        float lrStart,
        float lrEnd,
        float lrFolds,
        Run trainer)
        implements Recipe {

    /** A task's training run of a recipe. */
    @FunctionalInterface
    public interface Run {
        /** Trains, measures, writes the model; returns its card. */
        ModelCard train(GeneratedDataRecipe recipe, TrainRequest request, TrainingLog log) throws IOException;
    }

    @Override
    public ModelCard train(TrainRequest request, TrainingLog log) throws IOException {
        return trainer.train(this, request, log);
    }

    /** Steps per epoch: the recipe's, or what {@code --limit} images allow. */
    public int steps(TrainRequest req) {
        return req.limit() > 0 ? Math.max(1, req.limit() / batchSize) : stepsPerEpoch;
    }

    /** Adam with this recipe's decaying rate over {@code totalSteps}, on the CPU, minimising {@code loss}. */
    public DefaultTrainingConfig trainingConfig(Loss loss, int totalSteps) {
        return new ExponentialDecay(lrStart, lrEnd, totalSteps / lrFolds).adam(loss);
    }

    /**
     * The model card's {@code recipe} entries this recipe fixes (name, schedule, batch), in order;
     * the task adds its own and then {@link #closeCard}.
     */
    public Map<String, Object> cardRecipe(TrainRequest req, int steps) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recipe", name);
        r.put("description", description);
        r.put("epochs", req.epochs());
        r.put("stepsPerEpoch", steps);
        r.put("batchSize", batchSize);
        r.put("optimizer", "adam");
        r.put("learningRate", Map.of("start", lrStart, "end", lrEnd, "decaySteps", steps * req.epochs() / lrFolds));
        return r;
    }

    /** Adds the run's seed, wall time (seconds) and reproducing command to {@code r}. */
    public Map<String, Object> closeCard(Map<String, Object> r, TrainRequest req, double seconds) {
        r.put("seed", req.seed());
        r.put("wallSeconds", Math.round(seconds));
        r.put("command", req.command(name));
        return r;
    }
}
