package io.imageworker.training.ood;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ood.InputStats;
import io.imageworker.inference.ood.MahalanobisDistance;
import io.imageworker.inference.ood.OodScores;
import io.imageworker.models.LoadedModel;
import io.imageworker.training.FeatureReader;
import io.imageworker.datasets.Mnist;
import io.imageworker.training.ood.OodImages.Group;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The measurements the out-of-distribution detector is chosen and fitted from: per image of a set,
 * the classifier's logits and penultimate features and the input's statistics, all through the
 * worker's own preprocessing.
 */
public final class OodStudy {

    private OodStudy() {}

    /**
     * What one set of images looks like to the classifier.
     *
     * @param logits per image
     * @param features per image
     * @param stats per image
     * @param groups per image (null for digits)
     */
    public record Scored(float[][] logits, float[][] features, InputStats[] stats, Group[] groups) {

        /** Number of images read. */
        public int size() {
            return logits.length;
        }
    }

    /** Reads MNIST digits (as the evaluation feeds them: 28x28 values in [0, 1]). */
    public static Scored digits(LoadedModel model, Mnist data) {
        List<ImageTensor> tensors = new ArrayList<>(data.count());
        for (int i = 0; i < data.count(); i++) {
            tensors.add(new ImageTensor(data.image(i), 1, Mnist.SIDE, Mnist.SIDE));
        }
        return read(model, tensors, new Group[data.count()]);
    }

    /**
     * Reads MNIST digits each shifted by a random whole number of pixels in [-shift, shift] on each
     * axis (zero-filled), as the classifier's training shifted them: the distribution the model
     * was trained on, which the detector's cuts must accept.
     */
    public static Scored shiftedDigits(LoadedModel model, Mnist data, int shift, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<ImageTensor> tensors = new ArrayList<>(data.count());
        for (int i = 0; i < data.count(); i++) {
            float[] out = new float[Mnist.PIXELS];
            io.imageworker.training.data.Augment.shift(data.image(i), out, 0, Mnist.SIDE,
                    r.nextInt(2 * shift + 1) - shift, r.nextInt(2 * shift + 1) - shift);
            tensors.add(new ImageTensor(out, 1, Mnist.SIDE, Mnist.SIDE));
        }
        return read(model, tensors, new Group[data.count()]);
    }

    /** Reads images already at the model's input size (28x28 values in [0, 1], light on dark). */
    public static Scored planes(LoadedModel model, List<float[]> planes) {
        List<ImageTensor> tensors = new ArrayList<>(planes.size());
        planes.forEach(p -> tensors.add(new ImageTensor(p, 1, Mnist.SIDE, Mnist.SIDE)));
        return read(model, tensors, new Group[planes.size()]);
    }

    /** Reads a set of pictures through the worker's preprocessing for {@code model}. */
    public static Scored pictures(LoadedModel model, OodSet set) {
        Preprocessor.Spec spec = model.card().input().spec();
        List<ImageTensor> tensors = new ArrayList<>();
        Group[] groups = new Group[set.images().size()];
        for (int i = 0; i < groups.length; i++) {
            OodSet.Entry e = set.images().get(i);
            tensors.add(Preprocessor.toDigitTensor(e.image(), spec));
            groups[i] = e.group();
        }
        return read(model, tensors, groups);
    }

    /** Reads generated real-world digits through the worker's preprocessing for {@code model}. */
    public static Scored realDigits(LoadedModel model, List<RealDigits.Sample> samples) {
        Preprocessor.Spec spec = model.card().input().spec();
        List<ImageTensor> tensors = new ArrayList<>(samples.size());
        samples.forEach(s -> tensors.add(Preprocessor.toDigitTensor(s.image(), spec)));
        return read(model, tensors, new Group[samples.size()]);
    }

    private static Scored read(LoadedModel model, List<ImageTensor> tensors, Group[] groups) {
        FeatureReader.Readout r = FeatureReader.read(model, tensors);
        float mean = model.card().input().spec().mean()[0];
        float std = model.card().input().spec().std()[0];
        InputStats[] stats = new InputStats[tensors.size()];
        for (int i = 0; i < stats.length; i++) {
            ImageTensor t = tensors.get(i);
            stats[i] = InputStats.of(t.data(), t.width(), t.height(), std, mean);
        }
        return new Scored(r.logits(), r.features(), stats, groups);
    }

    /** {@code a}'s images followed by {@code b}'s. */
    public static Scored concat(Scored a, Scored b) {
        return new Scored(join(a.logits(), b.logits()), join(a.features(), b.features()), join(a.stats(), b.stats()),
                join(a.groups(), b.groups()));
    }

    private static <T> T[] join(T[] a, T[] b) {
        T[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Energy per image. */
    public static double[] energy(Scored s) {
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = OodScores.energy(s.logits()[i]);
        }
        return out;
    }

    /** 1 - max softmax per image. */
    public static double[] msp(Scored s) {
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = OodScores.oneMinusMaxSoftmax(s.logits()[i]);
        }
        return out;
    }

    /** Squared Mahalanobis distance per image, computed as the worker computes it. */
    public static double[] mahalanobis(Scored s, Mahalanobis m) {
        MahalanobisDistance distance = new MahalanobisDistance(m.means(), m.precision());
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = distance.nearest(s.features()[i]);
        }
        return out;
    }

    /** Statistic {@code k} (see {@link InputStats#NAMES}) per image. */
    public static double[] stat(Scored s, int k) {
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.stats()[i].values()[k];
        }
        return out;
    }

    /** The value below which a fraction {@code q} of {@code v} lies (nearest rank). */
    public static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    /** Arg-max class per image. */
    public static int[] predictions(Scored s) {
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            float[] z = s.logits()[i];
            int best = 0;
            for (int c = 1; c < z.length; c++) {
                if (z[c] > z[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
