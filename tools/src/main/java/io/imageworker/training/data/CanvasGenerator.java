package io.imageworker.training.data;

import io.imageworker.imaging.Box;
import io.imageworker.datasets.Mnist;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Localization canvases: 1 to {@code maxDigits} MNIST digits of different classes at random scale
 * and position, their ink boxes not overlapping. The network only ever sees which classes are
 * present; the boxes are for measuring. A canvas is a pure function of the pool and its seed.
 *
 * @param digits the pool (training digits for training and threshold choice, test digits for measuring)
 * @param side canvas side in pixels
 * @param maxDigits most digits per canvas
 * @param minSize smallest side a 28x28 digit is scaled to
 * @param maxSize largest side
 */
public record CanvasGenerator(Mnist digits, int side, int maxDigits, int minSize, int maxSize) {

    /** Seed of the test canvases the evaluations and the out-of-distribution fit measure on (MNIST test digits). */
    public static final long TEST_SEED = 20_240_602;
    /** Number of test canvases ({@code --limit} takes fewer). */
    public static final int TEST_CANVASES = 1000;

    /** Classes a canvas can hold: the ten digits (no background class). */
    public static final int CLASSES = 10;
    /** Canvas side of the recipe's canvases. */
    public static final int SIDE = 80;
    private static final int PLACEMENT_TRIES = 30;

    /** The recipe's canvases: 80x80, 1-3 digits scaled to 22-36 pixels. */
    public static CanvasGenerator standard(Mnist digits) {
        return new CanvasGenerator(digits, SIDE, 3, 22, 36);
    }

    /** A digit on a canvas: its class and the box of its ink (pixels of at least {@link DigitPainter#INK}). */
    public record Placed(int digit, Box box) {}

    /**
     * One canvas.
     *
     * @param image side x side ink in [0, 1], row-major
     * @param side canvas side
     * @param digits the digits on it, classes all different
     */
    public record Canvas(float[] image, int side, List<Placed> digits) {

        /** Multi-hot label: 1 for each class present. */
        public float[] labels() {
            float[] out = new float[CLASSES];
            digits.forEach(d -> out[d.digit()] = 1f);
            return out;
        }

        /** The placed digit of class {@code c}, or null. */
        public Placed of(int c) {
            return digits.stream().filter(d -> d.digit() == c).findFirst().orElse(null);
        }
    }

    /** The images of {@link #canvas(long, long) canvass} {@code 0..n-1} of the set seeded by {@code seed}. */
    public List<float[]> images(long seed, int n) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(canvas(seed, i).image());
        }
        return out;
    }

    /** Canvas {@code index} of the set seeded by {@code seed}. */
    public Canvas canvas(long seed, long index) {
        return canvas(DigitPainter.itemSeed(seed, index));
    }

    /** The canvas a seed gives. */
    public Canvas canvas(long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(maxDigits);
        float[] image = new float[side * side];
        List<Placed> placed = new ArrayList<>(n);
        boolean[] used = new boolean[CLASSES];
        for (int k = 0; k < n; k++) {
            int index;
            do {
                index = rnd.nextInt(digits.count());
            } while (used[digits.label(index)]);
            for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                int size = minSize + rnd.nextInt(maxSize - minSize + 1);
                int x = rnd.nextInt(side - size + 1);
                int y = rnd.nextInt(side - size + 1);
                float[] patch = DigitPainter.scaled(digits, index, size);
                Box box = DigitPainter.inkBox(patch, size, x, y);
                if (box == null || placed.stream().anyMatch(p -> p.box().intersect(box).area() > 0)) {
                    continue;
                }
                DigitPainter.paint(image, side, patch, size, x, y, 0, null, null);
                placed.add(new Placed(digits.label(index), box));
                used[digits.label(index)] = true;
                break;
            }
        }
        return new Canvas(image, side, List.copyOf(placed));
    }
}
