package io.imageworker.tasks.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * A latent vector and a class in, a generated image in [0, 1] out. The network takes the latent
 * vector and the one-hot class concatenated, (N, latent + classes), and returns (N, 1, H, W) in
 * [-1, 1] (tanh); items are stacked into one batch.
 */
public final class GenerateTranslator implements Translator<GeneratorInput, GeneratedImage> {

    /** Latent size of a card that names none. */
    public static final int DEFAULT_LATENT = 64;
    /** Classes of a card that names none. */
    public static final int DEFAULT_CLASSES = 10;

    private final int latent;
    private final int classes;

    /**
     * @param latent latent size the model was trained with
     * @param classes number of classes it was conditioned on
     */
    public GenerateTranslator(int latent, int classes) {
        this.latent = latent;
        this.classes = classes;
    }

    /** The network input for one item: latent vector then one-hot class. */
    public static float[] encode(GeneratorInput input, int latent, int classes) {
        if (input.latent().length != latent) {
            throw new IllegalArgumentException("latent of " + input.latent().length + " values, model takes " + latent);
        }
        if (input.label() < 0 || input.label() >= classes) {
            throw new IllegalArgumentException("class " + input.label() + " outside [0, " + classes + ")");
        }
        float[] x = new float[latent + classes];
        System.arraycopy(input.latent(), 0, x, 0, latent);
        x[latent + input.label()] = 1f;
        return x;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, GeneratorInput input) {
        return new NDList(ctx.getNDManager().create(encode(input, latent, classes), new Shape(latent + classes)));
    }

    @Override
    public GeneratedImage processOutput(TranslatorContext ctx, NDList list) {
        NDArray image = list.singletonOrThrow(); // (1, H, W) in [-1, 1]
        Shape s = image.getShape();
        float[] px = image.toFloatArray();
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.max(0f, Math.min(1f, (px[i] + 1f) / 2f));
        }
        return new GeneratedImage(px, (int) s.get(2), (int) s.get(1));
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
