package io.imageworker.training;

import ai.djl.Model;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.training.onnx.OnnxExport;
import io.imageworker.training.onnx.UnsupportedBlockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a trained model as a repository version folder: weights, {@code model.json}, and the ONNX
 * form of the same network ({@code <weights>.onnx}, {@link OnnxExport}) where the exporter knows
 * every block of it.
 */
public final class ModelWriter {

    private ModelWriter() {}

    /** The folder a model version lives in under a repository root. */
    public static Path versionDir(Path root, String name, String version) {
        return root.resolve(name).resolve(version);
    }

    /**
     * Saves the model's parameters as {@code <weights>-0000.params} (epoch pinned so that a retrain
     * overwrites instead of adding {@code -0001}), their ONNX form and the card beside them. A network
     * with a block the exporter has no ONNX form for gets none, and the reason is printed: the MXNet
     * model is what serves by default.
     */
    public static void write(Path versionDir, Model model, ModelCard card) throws IOException {
        Files.createDirectories(versionDir);
        model.setProperty("Epoch", "0");
        model.save(versionDir, card.weights());
        Path onnx = versionDir.resolve(OnnxExport.fileName(card));
        Files.deleteIfExists(onnx); // never leave the ONNX form of earlier weights beside new ones
        try {
            OnnxExport.writeBeside(versionDir, model.getBlock(), card);
        } catch (UnsupportedBlockException e) {
            System.err.println("no ONNX form for " + card.id() + ": " + e.getMessage());
        }
        ModelLoader.writeCard(versionDir, card);
    }
}
