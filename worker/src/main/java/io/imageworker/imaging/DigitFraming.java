package io.imageworker.imaging;

import java.util.Arrays;

/**
 * Frames one digit the way MNIST framed its digits, so that a photo of paper, a scan or a printed
 * digit with margins reaches a digit classifier as MNIST's digits did: light ink on a black ground,
 * ink levels stretched to [0, 1], the digit's ink box scaled to fit {@value #BOX} pixels of the
 * side and its centre of mass at the centre.
 *
 * <p>Steps, on a grey plane already turned light-on-dark:
 * <ol>
 *   <li>the ground: a plane {@code a + b x + c y} fitted to the outer ring (uneven light across a page),
 *       twice, the second time without the ring's outliers; the ring's spread (median absolute
 *       deviation) is its noise;</li>
 *   <li>levels: the ground plus {@value #NOISE_SIGMAS} noise deviations goes to 0, the ink (the
 *       brightest level two neighbouring pixels reach) to 1;</li>
 *   <li>framing, only when the picture is one object on a clean ground (the stretched ring's mean at
 *       most {@value #CLEAN_RING}): the box of pixels above {@value #INK} is cut out, scaled (area
 *       average) so its longer side is {@value #BOX} of 28, and placed with its centre of mass at the
 *       centre. A box already within {@value #SAME_SIZE} of that size is not scaled (so an MNIST
 *       digit sent as a 28x28 PNG reaches the model as MNIST has it, only re-centred).</li>
 * </ol>
 * A picture with too little contrast (under {@value #MIN_CONTRAST}) or no clean ground (a photo, a
 * texture) is returned {@code null}: the caller keeps its plain resize, and the out-of-distribution
 * statistics see it as it is.
 */
public final class DigitFraming {

    /** MNIST's box: digits were fitted into 20x20 of 28x28. */
    public static final int BOX = 20;
    /** Least ink-over-ground contrast (0-1) for a picture to hold a digit at all. */
    static final float MIN_CONTRAST = 0.1f;
    /** Noise deviations above the ground that still count as ground. */
    static final float NOISE_SIGMAS = 3f;
    /** Largest mean of the stretched outer ring for a picture to be one object on a clean ground. */
    static final float CLEAN_RING = 0.06f;
    /** Stretched level from which a pixel is ink when the box is found. */
    static final float INK = 0.25f;
    /** How far from 1 the scale may be for the digit to be taken at its size, unscaled. */
    static final double SAME_SIZE = 0.15;
    /** Pixels kept around the ink box of a digit taken unscaled (its anti-aliased edge). */
    static final int EDGE = 2;

    private DigitFraming() {}

    /**
     * The framed {@code side x side} plane, or null when the picture is not one object on a clean
     * ground (see the class comment).
     *
     * @param plane row-major {@code w x h} grey values in [0, 1], light ink on a dark ground
     * @param side the model's input side (28 for MNIST models)
     */
    public static float[] frame(float[] plane, int w, int h, int side) {
        if (w < 3 || h < 3) {
            return null;
        }
        int ring = Math.max(1, Math.min(w, h) / 16);
        double[] ground = groundPlane(plane, w, h, ring, null);
        double sigma = ringSpread(plane, w, h, ring, ground);
        ground = groundPlane(plane, w, h, ring, new double[] {ground[0], ground[1], ground[2], 2.5 * sigma + 1e-3});
        sigma = ringSpread(plane, w, h, ring, ground);
        float[] flat = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                flat[y * w + x] = (float) (plane[y * w + x] - (ground[0] + ground[1] * x + ground[2] * y));
            }
        }
        float floor = (float) (NOISE_SIGMAS * sigma);
        float ink = inkLevel(flat, w, h);
        if (ink - floor < MIN_CONTRAST) {
            return null;
        }
        float range = ink - floor;
        double ringSum = 0;
        int ringCount = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = Math.max(0f, Math.min(1f, (flat[y * w + x] - floor) / range));
                flat[y * w + x] = v;
                if (inRing(x, y, w, h, ring)) {
                    ringSum += v;
                    ringCount++;
                }
            }
        }
        if (ringSum / ringCount > CLEAN_RING) {
            return null;
        }
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (flat[y * w + x] > INK) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) {
            return null;
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        double scale = (double) BOX * side / 28 / Math.max(bw, bh);
        int ow;
        int oh;
        float[] digit;
        if (Math.abs(scale - 1) <= SAME_SIZE) {
            // already at MNIST's size (an MNIST digit as a PNG): cut out unscaled, with the faint edge
            // around the box, so that only the centring moves it; resampling would blur it
            x0 = Math.max(0, x0 - EDGE);
            y0 = Math.max(0, y0 - EDGE);
            ow = Math.min(Math.min(w, x1 + EDGE + 1) - x0, side);
            oh = Math.min(Math.min(h, y1 + EDGE + 1) - y0, side);
            digit = new float[ow * oh];
            for (int y = 0; y < oh; y++) {
                System.arraycopy(flat, (y0 + y) * w + x0, digit, y * ow, ow);
            }
        } else {
            ow = Math.max(1, (int) Math.round(bw * scale));
            oh = Math.max(1, (int) Math.round(bh * scale));
            digit = resample(flat, w, x0, y0, bw, bh, ow, oh);
        }
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float v = digit[y * ow + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        // the centre of mass at the centre, as MNIST placed it, as far as the box stays inside
        int ox = (int) Math.round((side - 1) / 2.0 - (mass > 0 ? mx / mass : (ow - 1) / 2.0));
        int oy = (int) Math.round((side - 1) / 2.0 - (mass > 0 ? my / mass : (oh - 1) / 2.0));
        ox = Math.max(0, Math.min(side - ow, ox));
        oy = Math.max(0, Math.min(side - oh, oy));
        float[] out = new float[side * side];
        for (int y = 0; y < oh; y++) {
            System.arraycopy(digit, y * ow, out, (oy + y) * side + ox, ow);
        }
        return out;
    }

    private static boolean inRing(int x, int y, int w, int h, int ring) {
        return x < ring || y < ring || x >= w - ring || y >= h - ring;
    }

    /**
     * Least-squares plane {@code a + b x + c y} through the ring's pixels; with {@code previous}
     * ({@code a, b, c, cut}), only pixels within {@code cut} of the previous plane count.
     */
    private static double[] groundPlane(float[] p, int w, int h, int ring, double[] previous) {
        // normal equations of [1 x y]
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sv = 0, sxv = 0, syv = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!inRing(x, y, w, h, ring)) {
                    continue;
                }
                double v = p[y * w + x];
                if (previous != null && Math.abs(v - (previous[0] + previous[1] * x + previous[2] * y)) > previous[3]) {
                    continue;
                }
                n++;
                sx += x;
                sy += y;
                sxx += (double) x * x;
                sxy += (double) x * y;
                syy += (double) y * y;
                sv += v;
                sxv += x * v;
                syv += y * v;
            }
        }
        if (n < 3) {
            return previous == null ? new double[] {0, 0, 0} : Arrays.copyOf(previous, 3);
        }
        double[][] m = {{n, sx, sy}, {sx, sxx, sxy}, {sy, sxy, syy}};
        double[] rhs = {sv, sxv, syv};
        double det = det3(m);
        if (Math.abs(det) < 1e-9) {
            return new double[] {sv / n, 0, 0};
        }
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] mc = {m[0].clone(), m[1].clone(), m[2].clone()};
            for (int r = 0; r < 3; r++) {
                mc[r][c] = rhs[r];
            }
            out[c] = det3(mc) / det;
        }
        return out;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /** The ring's residuals' median absolute deviation, as a standard deviation (x 1.4826). */
    private static double ringSpread(float[] p, int w, int h, int ring, double[] plane) {
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                count += inRing(x, y, w, h, ring) ? 1 : 0;
            }
        }
        double[] r = new double[count];
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (inRing(x, y, w, h, ring)) {
                    r[i++] = Math.abs(p[y * w + x] - (plane[0] + plane[1] * x + plane[2] * y));
                }
            }
        }
        Arrays.sort(r);
        return 1.4826 * r[r.length / 2];
    }

    /**
     * The ink's level: the largest value that a second pixel of its 3x3 neighbourhood also reaches,
     * so a lone hot pixel does not set it and a one-pixel stroke still does.
     */
    private static float inkLevel(float[] p, int w, int h) {
        float best = Float.NEGATIVE_INFINITY;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                float first = Float.NEGATIVE_INFINITY;
                float second = Float.NEGATIVE_INFINITY;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        float v = p[(y + dy) * w + x + dx];
                        if (v > first) {
                            second = first;
                            first = v;
                        } else if (v > second) {
                            second = v;
                        }
                    }
                }
                best = Math.max(best, second);
            }
        }
        return best;
    }

    /**
     * The {@code bw x bh} box at {@code (x0, y0)} of a plane {@code w} wide, resampled to
     * {@code ow x oh}: each output pixel the mean of its footprint, read bilinearly at 4x4 points.
     */
    static float[] resample(float[] p, int w, int x0, int y0, int bw, int bh, int ow, int oh) {
        int h = p.length / w;
        float[] out = new float[ow * oh];
        double fx = (double) bw / ow;
        double fy = (double) bh / oh;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        double sx = x0 + (x + (i + 0.5) / 4) * fx - 0.5;
                        double sy = y0 + (y + (j + 0.5) / 4) * fy - 0.5;
                        s += bilinear(p, w, h, sx, sy);
                    }
                }
                out[y * ow + x] = (float) (s / 16);
            }
        }
        return out;
    }

    private static double bilinear(float[] p, int w, int h, double x, double y) {
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        int xa = (int) x;
        int ya = (int) y;
        int xb = Math.min(w - 1, xa + 1);
        int yb = Math.min(h - 1, ya + 1);
        double ax = x - xa;
        double ay = y - ya;
        return (1 - ay) * ((1 - ax) * p[ya * w + xa] + ax * p[ya * w + xb]) + ay * ((1 - ax) * p[yb * w + xa] + ax * p[yb * w + xb]);
    }
}
