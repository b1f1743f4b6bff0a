package io.imageworker.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imageworker.models.arch.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a model version folder ({@code model.json} + weights) into native memory. */
public final class ModelLoader {

    /** The file every model version folder holds. */
    public static final String CARD_FILE = "model.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ModelLoader() {}

    /**
     * Reads the card ({@value #CARD_FILE}) of a model version folder; unknown JSON properties are
     * ignored.
     *
     * @throws IOException when the folder has no {@value #CARD_FILE}, or it cannot be read or
     *     parsed
     */
    public static ModelCard readCard(Path versionDir) throws IOException {
        Path file = versionDir.resolve(CARD_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + CARD_FILE + " in " + versionDir);
        }
        return JSON.readValue(file.toFile(), ModelCard.class);
    }

    /**
     * Writes {@code card} as indented JSON to {@value #CARD_FILE} in {@code versionDir}, creating
     * the folder and replacing any card there.
     */
    public static void writeCard(Path versionDir, ModelCard card) throws IOException {
        Files.createDirectories(versionDir);
        JSON.writeValue(versionDir.resolve(CARD_FILE).toFile(), card);
    }

    /** Loads the model in {@code versionDir} on {@code device}; the caller closes it. */
    public static LoadedModel load(Path versionDir, Device device) throws IOException {
        ModelCard card = readCard(versionDir);
        String format = card.format() == null ? ModelCard.FORMAT_DJL_BLOCK : card.format();
        Model model = Model.newInstance(card.name(), device);
        try {
            switch (format) {
                case ModelCard.FORMAT_DJL_BLOCK -> {
                    model.setBlock(Architectures.build(card.architecture(), card.architectureOptions()));
                    model.load(versionDir, card.weights());
                }
                // The graph comes from the symbol file: no code knows this network.
                case ModelCard.FORMAT_MXNET_SYMBOL -> model.load(versionDir, card.weights());
                default -> throw new IOException("model " + card.id() + " has unknown format '" + format
                        + "' (known: " + ModelCard.FORMAT_DJL_BLOCK + ", " + ModelCard.FORMAT_MXNET_SYMBOL + ")");
            }
            return new LoadedModel(card, model, device, versionDir);
        } catch (MalformedModelException | RuntimeException | IOException e) {
            model.close();
            throw e instanceof IOException io ? io : new IOException("cannot load model " + card.id() + ": " + e.getMessage(), e);
        }
    }
}
