package io.imageworker.cli;

import io.imageworker.models.ModelCard;
import io.imageworker.training.Recipe;
import io.imageworker.training.RecipeBook;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: runs one recipe and writes a model version folder. */
@Unremovable
@Dependent
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a model from MNIST idx files and writes <out>/<name>/<version>/ (weights + model.json).")
public class TrainCommand implements Callable<Integer> {

    @Option(names = "--recipe", required = true, completionCandidates = RecipeBook.Names.class,
            description = "Recipe to run: ${COMPLETION-CANDIDATES}.")
    String recipe;

    @Option(names = "--data", required = true, description = "Folder with the four MNIST idx files, gzip or not.")
    Path data;

    @Option(names = "--out", required = true, description = "Model repository root to write into.")
    Path out;

    @Option(names = "--epochs", description = "Passes over the training data (default: the recipe's).")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--name", description = "Model name (default: the recipe's model name).")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version folder (default: ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--limit", defaultValue = "0", description = "Train on at most this many examples (0: all).")
    int limit;

    @Option(names = "--eval-limit", defaultValue = "0", description = "Evaluate on at most this many examples (0: all).")
    int evalLimit;

    @Override
    public Integer call() throws Exception {
        Recipe r = RecipeBook.get(recipe);
        TrainRequest req = new TrainRequest(data, out, epochs == null ? r.defaultEpochs() : epochs, seed,
                name == null ? RecipeBook.defaultModelName(r) : name, version, limit, evalLimit);
        ModelCard card = r.train(req, new TrainingLog(true));
        System.out.println("wrote " + out.resolve(card.name()).resolve(card.version()));
        card.metrics().forEach(m -> System.out.printf("  %s = %.4f  (%s)%n", m.name(), m.value(), m.data()));
        return 0;
    }
}
