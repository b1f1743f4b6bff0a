package io.imageworker.tasks.faces;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ImageTranslator;

/**
 * One letterboxed view (3 x size x size, already normalised) in, BlazeFace's raw anchor outputs
 * out. The ONNX graphs have their batch axis fixed at 1 ({@code input:0} is [1, size, size, 3]), so
 * this translator has no batchifier: DJL's predictor then runs the items of a batch one call each,
 * and the model can be served with any batch size the worker is configured with. Decoding and
 * suppression happen later, off the inference thread ({@link BlazeFaceDecoder}, {@link WeightedNms}).
 */
public final class BlazeFaceTranslator extends ImageTranslator<FaceDetectorOutput> {

    /** Graph outputs in the order {@link BlazeFaceOutput} concatenates them. */
    static final String SCORES_16 = "Identity:0";
    static final String SCORES_8 = "Identity_1:0";
    static final String BOXES_16 = "Identity_2:0";
    static final String BOXES_8 = "Identity_3:0";

    private final int size;

    /**
     * @param card a BlazeFace card: square input, layout NHWC
     * @throws IllegalArgumentException when the card's input is not square
     */
    public BlazeFaceTranslator(ModelCard card) {
        super(card.input().layoutOrDefault());
        if (card.input().width() != card.input().height()) {
            throw new IllegalArgumentException("model " + card.id() + ": BlazeFace takes a square input, the card says "
                    + card.input().width() + "x" + card.input().height());
        }
        this.size = card.input().width();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, ImageTensor input) {
        return new NDList(super.processInput(ctx, input).singletonOrThrow().expandDims(0));
    }

    /** None: items are run one model call each (the graph's batch axis is fixed at 1). */
    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    @Override
    public BlazeFaceOutput processOutput(TranslatorContext ctx, NDList list) {
        float[] s16 = output(list, SCORES_16, 0).toFloatArray();
        float[] s8 = output(list, SCORES_8, 1).toFloatArray();
        float[] b16 = output(list, BOXES_16, 2).toFloatArray();
        float[] b8 = output(list, BOXES_8, 3).toFloatArray();
        return new BlazeFaceOutput(concat(s16, s8), concat(b16, b8), size);
    }

    /** The output called {@code name}, else the one at {@code index} (graph order) when the engine gives no names. */
    private static NDArray output(NDList list, String name, int index) {
        NDArray named = list.get(name);
        return named != null ? named : list.get(index);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
