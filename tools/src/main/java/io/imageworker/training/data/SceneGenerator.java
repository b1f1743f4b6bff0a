package io.imageworker.training.data;

import io.imageworker.imaging.Box;
import io.imageworker.datasets.Mnist;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Segmentation scenes: 1-5 MNIST digits at random scale and position on a square canvas, overlap
 * allowed, with a per-pixel label (0 = background, 1 + d = digit d). A scene is a pure function of
 * the digit pool and its seed, so an evaluation set is named by (split, seed, count).
 *
 * <p>A pixel belongs to the digit that put the most ink on it, if that ink is at least
 * {@link DigitPainter#INK}; otherwise it is background. Digits may overlap, but a placement that
 * would hide more than {@code maxOverlap} of a digit's ink box (or have its own box covered that
 * much) is drawn again, up to {@value #PLACEMENT_TRIES} times, and the digit is left out if none
 * fits: a digit buried under others cannot be told apart by anyone, and would only measure noise.
 *
 * @param digits the pool digits are drawn from (training digits for training, test digits for evaluation)
 * @param side canvas side in pixels
 * @param minDigits fewest digits per scene
 * @param maxDigits most digits per scene
 * @param minSize smallest side a 28x28 digit is scaled to
 * @param maxSize largest side
 * @param maxOverlap largest fraction of a digit's ink box that another digit's ink box may cover
 */
public record SceneGenerator(Mnist digits, int side, int minDigits, int maxDigits, int minSize, int maxSize,
        double maxOverlap) {

    /** Seed of the test scenes the evaluations and the out-of-distribution fit measure on (MNIST test digits). */
    public static final long TEST_SEED = 20_240_601;
    /** Number of test scenes ({@code --limit} takes fewer). */
    public static final int TEST_SCENES = 1000;

    /** Classes: background plus ten digits. */
    public static final int CLASSES = 11;
    /** Canvas side of the recipes' scenes. */
    public static final int SIDE = 64;

    /** Placement attempts per digit. */
    public static final int PLACEMENT_TRIES = 20;

    /** The recipes' scenes: 64x64, 1-5 digits, each scaled to 16-32 pixels, boxes overlapping by up to 30%. */
    public static SceneGenerator standard(Mnist digits) {
        return new SceneGenerator(digits, SIDE, 1, 5, 16, 32, 0.3);
    }

    /** One-line description for model cards. */
    public String describe() {
        return side + "x" + side + ", " + minDigits + "-" + maxDigits + " digits scaled to " + minSize + "-" + maxSize
                + " px, ink boxes overlapping by at most " + Math.round(maxOverlap * 100) + "%";
    }

    /**
     * Validates the settings: at least 1 digit, {@code minDigits <= maxDigits}, digit sizes with
     * {@code 4 <= minSize <= maxSize <= side}, and {@code maxOverlap >= 0}.
     *
     * @throws IllegalArgumentException when any of these fails
     */
    public SceneGenerator {
        if (minDigits < 1 || maxDigits < minDigits || minSize < 4 || maxSize < minSize || maxSize > side || maxOverlap < 0) {
            throw new IllegalArgumentException("bad scene settings");
        }
    }

    /**
     * One scene.
     *
     * @param image side x side ink in [0, 1], row-major
     * @param labels per-pixel class, 0 background, 1 + digit
     * @param side canvas side
     * @param digitClasses the digits drawn, in drawing order (fewer than asked when some did not fit)
     * @param digitBoxes the ink box of each digit drawn, same order
     */
    public record Scene(float[] image, byte[] labels, int side, int[] digitClasses, List<Box> digitBoxes) {}

    /** The images of {@link #scene(long, long) scenes} {@code 0..n-1} of the set seeded by {@code seed}. */
    public List<float[]> images(long seed, int n) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(scene(seed, i).image());
        }
        return out;
    }

    /** Scene {@code index} of the set seeded by {@code seed}. */
    public Scene scene(long seed, long index) {
        return scene(DigitPainter.itemSeed(seed, index));
    }

    /** The larger of the fractions of either box that their intersection covers. */
    static double covers(Box a, Box b) {
        int inter = a.intersect(b).area();
        return inter == 0 ? 0 : inter / (double) Math.min(a.area(), b.area());
    }

    /** The scene a seed gives. */
    public Scene scene(long seed) {
        Random rnd = new Random(seed);
        int n = minDigits + rnd.nextInt(maxDigits - minDigits + 1);
        float[] image = new float[side * side];
        int[] owner = new int[side * side];
        float[] ownerInk = new float[side * side];
        List<Box> boxes = new ArrayList<>(n);
        List<Integer> classes = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int index = rnd.nextInt(digits.count());
            for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                int size = minSize + rnd.nextInt(maxSize - minSize + 1);
                int x = rnd.nextInt(side - size + 1);
                int y = rnd.nextInt(side - size + 1);
                float[] patch = DigitPainter.scaled(digits, index, size);
                Box box = DigitPainter.inkBox(patch, size, x, y);
                if (box == null || boxes.stream().anyMatch(b -> covers(b, box) > maxOverlap)) {
                    continue;
                }
                boxes.add(box);
                classes.add(digits.label(index));
                DigitPainter.paint(image, side, patch, size, x, y, 1 + digits.label(index), owner, ownerInk);
                break;
            }
        }
        byte[] labels = new byte[side * side];
        for (int p = 0; p < labels.length; p++) {
            labels[p] = (byte) (ownerInk[p] >= DigitPainter.INK ? owner[p] : 0);
        }
        return new Scene(image, labels, side, classes.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(boxes));
    }
}
