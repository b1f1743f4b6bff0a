package io.imageworker.inference.ood;

/**
 * Statistics of a preprocessed grayscale input that MNIST-like digits keep within narrow bounds:
 * MNIST digits are drawn light on dark, fitted into a 20x20 box and centred by mass in 28x28, so
 * their outer frame is dark, their ink covers a limited share and their pixels are mostly near 0 or
 * near 1. Photos, textures, noise and blank images break at least one of these.
 *
 * @param border mean intensity of the outer {@link #FRAME}-pixel frame, in [0, 1]
 * @param ink mean intensity of the whole image, in [0, 1]
 * @param midtones share of pixels strictly between 0.2 and 0.8 (neither background nor ink)
 * @param offCentre distance of the centre of mass from the image centre, as a fraction of the side
 *     (0 when there is no ink)
 */
public record InputStats(double border, double ink, double midtones, double offCentre) {

    /** Width of the frame {@link #border} averages, in pixels. */
    public static final int FRAME = 3;
    /** Names of the statistics, in the order of {@link #values()}. */
    public static final String[] NAMES = {"border", "ink", "midtones", "offCentre"};

    /**
     * The statistics of one plane.
     *
     * @param plane row-major {@code w x h} values in [0, 1] (light on dark, as the model sees them
     *     before normalisation)
     */
    public static InputStats of(float[] plane, int w, int h) {
        return of(plane, w, h, 1f, 0f);
    }

    /**
     * The statistics of the first plane of a normalised model input, read back in [0, 1] as
     * {@code v * std + mean} (statistics are defined on pixel values, not on normalised ones).
     *
     * @param data a tensor's values, the first {@code w x h} of which are the plane read
     */
    public static InputStats of(float[] data, int w, int h, float std, float mean) {
        double sum = 0;
        double frame = 0;
        int framePixels = 0;
        int mid = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = data[y * w + x] * std + mean;
                sum += v;
                mx += v * x;
                my += v * y;
                if (v > 0.2 && v < 0.8) {
                    mid++;
                }
                if (x < FRAME || y < FRAME || x >= w - FRAME || y >= h - FRAME) {
                    frame += v;
                    framePixels++;
                }
            }
        }
        double off = 0;
        if (sum > 1e-6) {
            double dx = mx / sum - (w - 1) / 2.0;
            double dy = my / sum - (h - 1) / 2.0;
            off = Math.sqrt(dx * dx + dy * dy) / Math.max(w, h);
        }
        return new InputStats(frame / framePixels, sum / (w * h), mid / (double) (w * h), off);
    }

    /** The statistics as an array, in the order of {@link #NAMES}. */
    public double[] values() {
        return new double[] {border, ink, midtones, offCentre};
    }
}
