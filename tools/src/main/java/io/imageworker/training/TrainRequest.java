package io.imageworker.training;

import java.nio.file.Path;

/**
 * What {@code train} was asked for.
 *
 * @param data folder with the MNIST idx files (gzip or not)
 * @param out model repository root; the model goes to {@code out/<modelName>/<version>/}
 * @param epochs passes over the training data
 * @param seed seeds weights, shuffling, augmentation and generated scenes
 * @param modelName name recorded in the card and used as folder
 * @param version version folder
 * @param limit at most this many training examples (0: all); small values make smoke tests fast
 * @param evalLimit at most this many evaluation examples (0: the recipe's full held-out set)
 */
public record TrainRequest(Path data, Path out, int epochs, int seed, String modelName, String version, int limit,
        int evalLimit) {

    /** The {@code train} command line that reproduces this run with {@code recipe}, for the model card. */
    public String command(String recipe) {
        return "train --recipe " + recipe + " --data DIR --out DIR --epochs " + epochs + " --seed " + seed
                + (limit > 0 ? " --limit " + limit : "");
    }
}
