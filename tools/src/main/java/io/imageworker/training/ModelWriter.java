package io.imageworker.training;

import ai.djl.Model;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a trained model as a repository version folder: weights plus {@code model.json}. */
public final class ModelWriter {

    private ModelWriter() {}

    /** The folder a model version lives in under a repository root. */
    public static Path versionDir(Path root, String name, String version) {
        return root.resolve(name).resolve(version);
    }

    /**
     * Saves the model's parameters as {@code <weights>-0000.params} (epoch pinned so that a retrain
     * overwrites instead of adding {@code -0001}) and its card beside them.
     */
    public static void write(Path versionDir, Model model, ModelCard card) throws IOException {
        Files.createDirectories(versionDir);
        model.setProperty("Epoch", "0");
        model.save(versionDir, card.weights());
        ModelLoader.writeCard(versionDir, card);
    }
}
