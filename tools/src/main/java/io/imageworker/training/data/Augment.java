package io.imageworker.training.data;

/** Cheap data augmentation on square single-channel images held as float arrays. */
public final class Augment {

    private Augment() {}

    /** Copies {@code src} (side x side) into {@code dst} at {@code offset}, shifted by (dx, dy), zero-filled. */
    public static void shift(float[] src, float[] dst, int offset, int side, int dx, int dy) {
        for (int r = 0; r < side; r++) {
            int sr = r - dy;
            for (int c = 0; c < side; c++) {
                int sc = c - dx;
                dst[offset + r * side + c] = sr >= 0 && sr < side && sc >= 0 && sc < side ? src[sr * side + sc] : 0f;
            }
        }
    }
}
