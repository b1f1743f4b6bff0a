package io.imageworker.tasks.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslatorContext;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ImageTranslator;

/**
 * The translators of the text models, one per architecture family a card names: the detector's
 * probability map, the recognizer's best path, the angle classifier's two probabilities. Each takes
 * one preprocessed (3, H, W) image; items of one shape are stacked into a batch.
 */
public final class TextTranslators {

    /** Card architecture of a DB text detector (probability map out). */
    public static final String DETECTOR = "db-text-detector";
    /** Card architecture of a CTC text recognizer ((steps, classes) probabilities out). */
    public static final String RECOGNIZER = "ctc-text-recognizer";
    /** Card architecture of a 0/180 degree text line classifier (2 probabilities out). */
    public static final String ANGLE_CLASSIFIER = "text-angle-classifier";

    private TextTranslators() {}

    /**
     * The translator for {@code card}'s architecture.
     *
     * @throws IllegalArgumentException for an architecture other than the three above
     */
    public static ImageTranslator<?> forCard(ModelCard card) {
        String layout = card.input() == null ? ModelCard.Input.NCHW : card.input().layoutOrDefault();
        String outputName = card.output() == null ? null : card.output().name();
        String activation = card.output() == null ? ModelCard.Output.LOGITS : card.output().activationOrDefault();
        String arch = card.architecture() == null ? "" : card.architecture();
        return switch (arch) {
            case DETECTOR -> new Detection(layout, outputName, activation);
            case RECOGNIZER -> new Recognition(layout, outputName, activation);
            case ANGLE_CLASSIFIER -> new Angle(layout, outputName, activation);
            default -> throw new IllegalArgumentException("task text serves the architectures " + DETECTOR + ", "
                    + RECOGNIZER + " and " + ANGLE_CLASSIFIER + ", not '" + arch + "' (model " + card.id() + ")");
        };
    }

    /** The output called {@code name}, else the first. */
    static NDArray output(NDList list, String name) {
        NDArray named = name == null ? null : list.get(name);
        return named != null ? named : list.get(0);
    }

    /** A (1, H, W) map per item in, the probability map out; a sigmoid applied when the graph gives logits. */
    public static final class Detection extends ImageTranslator<ProbabilityMap> {
        private final String outputName;
        private final boolean logits;

        Detection(String layout, String outputName, String activation) {
            super(layout);
            this.outputName = outputName;
            this.logits = ModelCard.Output.LOGITS.equals(activation);
        }

        @Override
        public ProbabilityMap processOutput(TranslatorContext ctx, NDList list) {
            NDArray map = output(list, outputName);
            if (logits) {
                map = ai.djl.nn.Activation.sigmoid(map);
            }
            long[] s = map.getShape().getShape();
            int h = (int) s[s.length - 2];
            int w = (int) s[s.length - 1];
            return new ProbabilityMap(map.toFloatArray(), h, w);
        }
    }

    /**
     * A (steps, classes) matrix per item in, the best class of each step and its probability out
     * (softmax applied first when the graph gives logits); decode with {@link CtcDecoder}.
     */
    public static final class Recognition extends ImageTranslator<CtcDecoder.Steps> {
        private final String outputName;
        private final boolean logits;

        Recognition(String layout, String outputName, String activation) {
            super(layout);
            this.outputName = outputName;
            this.logits = ModelCard.Output.LOGITS.equals(activation);
        }

        @Override
        public CtcDecoder.Steps processOutput(TranslatorContext ctx, NDList list) {
            NDArray p = output(list, outputName);
            if (logits) {
                p = p.softmax(-1);
            }
            long[] best = p.argMax(-1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
            float[] prob = p.max(new int[] {-1}).toFloatArray();
            int[] classes = new int[best.length];
            for (int t = 0; t < best.length; t++) {
                classes[t] = (int) best[t];
            }
            return new CtcDecoder.Steps(classes, prob);
        }
    }

    /** Two values per item in ({@code 0}, {@code 180}), their probabilities out. */
    public static final class Angle extends ImageTranslator<float[]> {
        private final String outputName;
        private final boolean logits;

        Angle(String layout, String outputName, String activation) {
            super(layout);
            this.outputName = outputName;
            this.logits = ModelCard.Output.LOGITS.equals(activation);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray p = output(list, outputName);
            return (logits ? p.softmax(-1) : p).toFloatArray();
        }
    }
}
