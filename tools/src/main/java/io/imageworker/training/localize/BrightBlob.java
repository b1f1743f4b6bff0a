package io.imageworker.training.localize;

import io.imageworker.imaging.Box;
import io.imageworker.tasks.localize.CamBoxes;
import io.imageworker.training.data.DigitPainter;

/**
 * The non-learned baseline: the box of the largest 8-connected region of bright pixels (ink of at
 * least {@link DigitPainter#INK}), and its centre as the "point". It is the same for every class,
 * so on canvases with several digits it can at best find one of them.
 */
final class BrightBlob {

    private BrightBlob() {}

    static Box box(float[] image, int side) {
        boolean[] mask = new boolean[image.length];
        for (int i = 0; i < image.length; i++) {
            mask[i] = image[i] >= DigitPainter.INK;
        }
        return CamBoxes.largestComponent(mask, side, side);
    }
}
