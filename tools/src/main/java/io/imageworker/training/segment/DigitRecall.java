package io.imageworker.training.segment;

import io.imageworker.training.data.SceneGenerator;
import io.imageworker.imaging.Box;
import java.util.List;

/**
 * Per-digit pixel recall in groups where designs differ: small digits and digits whose ink box
 * overlaps another's. A digit's pixels are those labelled with its class inside its ink box; its
 * recall is the share of them predicted as that class, summed over the digits of a group.
 */
public final class DigitRecall {

    /** A digit is small when its ink box is at most this many pixels high (scaled to about 20 px or less). */
    public static final int SMALL_INK_HEIGHT = 14;

    private long smallRight;
    private long smallAll;
    private long overlappingRight;
    private long overlappingAll;
    private long right;
    private long all;

    /** Adds one scene and its per-pixel prediction (same layout as {@link SceneGenerator.Scene#labels()}). */
    public void add(SceneGenerator.Scene scene, int[] predicted) {
        List<Box> boxes = scene.digitBoxes();
        int side = scene.side();
        for (int k = 0; k < boxes.size(); k++) {
            Box b = boxes.get(k);
            int label = 1 + scene.digitClasses()[k];
            long hit = 0;
            long n = 0;
            for (int y = b.y0(); y < b.y1(); y++) {
                for (int x = b.x0(); x < b.x1(); x++) {
                    int p = y * side + x;
                    if (scene.labels()[p] == label) {
                        n++;
                        hit += predicted[p] == label ? 1 : 0;
                    }
                }
            }
            right += hit;
            all += n;
            if (b.height() <= SMALL_INK_HEIGHT) {
                smallRight += hit;
                smallAll += n;
            }
            if (overlapsAnother(boxes, k)) {
                overlappingRight += hit;
                overlappingAll += n;
            }
        }
    }

    private static boolean overlapsAnother(List<Box> boxes, int k) {
        for (int j = 0; j < boxes.size(); j++) {
            if (j != k && boxes.get(j).intersect(boxes.get(k)).area() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Recall over every digit's pixels; NaN without any. */
    public double all() {
        return all == 0 ? Double.NaN : right / (double) all;
    }

    /** Recall over the pixels of small digits; NaN without any. */
    public double small() {
        return smallAll == 0 ? Double.NaN : smallRight / (double) smallAll;
    }

    /** Recall over the pixels of digits whose ink box overlaps another's; NaN without any. */
    public double overlapping() {
        return overlappingAll == 0 ? Double.NaN : overlappingRight / (double) overlappingAll;
    }
}
