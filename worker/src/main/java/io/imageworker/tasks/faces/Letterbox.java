package io.imageworker.tasks.faces;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * One view of a photo as the square model input: a rectangle of the photo (the whole of it, or a
 * tile), scaled to fit {@code size x size} with its aspect ratio kept and centred, the rest padded
 * black (MediaPipe's {@code ImageToTensorCalculator} with {@code keep_aspect_ratio}). Stretching a
 * 3:2 photo to a square would squash every face by a third, and BlazeFace was trained on unsquashed faces.
 * With {@code maxScale} the rectangle is enlarged at most that many times: a picture smaller than
 * the input then lies at that size in the middle of the black square, as a small thing does in a
 * photo, instead of being blown up into blurred shapes the model never saw at that size.
 *
 * @param cropX left edge of the rectangle in the photo, pixels
 * @param cropY top edge of the rectangle in the photo, pixels
 * @param cropWidth rectangle width, pixels (at least 1)
 * @param cropHeight rectangle height, pixels (at least 1)
 * @param size side of the square model input, pixels
 * @param maxScale most model-input pixels per photo pixel, at least 1 ({@code Double.POSITIVE_INFINITY}:
 *     the rectangle always fills the input's side)
 */
public record Letterbox(int cropX, int cropY, int cropWidth, int cropHeight, int size, double maxScale) {

    /**
     * Checks the rectangle and size are positive and {@code maxScale} at least 1.
     *
     * @throws IllegalArgumentException otherwise
     */
    public Letterbox {
        if (cropWidth < 1 || cropHeight < 1 || size < 1 || !(maxScale >= 1)) {
            throw new IllegalArgumentException("letterbox of a " + cropWidth + "x" + cropHeight + " rectangle to " + size
                    + " enlarged at most " + maxScale + " times");
        }
    }

    /** A rectangle that always fills the input's side (enlarged as much as it takes). */
    public Letterbox(int cropX, int cropY, int cropWidth, int cropHeight, int size) {
        this(cropX, cropY, cropWidth, cropHeight, size, Double.POSITIVE_INFINITY);
    }

    /** The whole of a {@code width x height} photo, filling the input's side. */
    public static Letterbox whole(int width, int height, int size) {
        return new Letterbox(0, 0, width, height, size);
    }

    /** The whole of a {@code width x height} photo, enlarged at most {@code maxScale} times. */
    public static Letterbox whole(int width, int height, int size, double maxScale) {
        return new Letterbox(0, 0, width, height, size, maxScale);
    }

    /** Model-input pixels per photo pixel: {@code min(size / max(cropWidth, cropHeight), maxScale)}. */
    public double scale() {
        return Math.min(size / (double) Math.max(cropWidth, cropHeight), maxScale);
    }

    /** Width of the picture in the model input, whole pixels: {@code round(cropWidth * scale)}, at least 1. */
    public int drawnWidth() {
        return Math.max(1, (int) Math.round(cropWidth * scale()));
    }

    /** Height of the picture in the model input, whole pixels: {@code round(cropHeight * scale)}, at least 1. */
    public int drawnHeight() {
        return Math.max(1, (int) Math.round(cropHeight * scale()));
    }

    /** Columns of padding left of the picture, model-input pixels: {@code (size - drawnWidth) / 2}, rounded down. */
    public int padX() {
        return (size - drawnWidth()) / 2;
    }

    /** Rows of padding above the picture, model-input pixels: {@code (size - drawnHeight) / 2}, rounded down. */
    public int padY() {
        return (size - drawnHeight()) / 2;
    }

    /**
     * The view as a {@code size x size} RGB image: the rectangle of {@code rgb} scaled by
     * {@link #scale()} and centred on black. Large reductions halve the picture step by step before
     * the last bilinear step, so that every photo pixel counts (one bilinear step from 4000 px to 256
     * would read 4 pixels in 16 and alias).
     *
     * @param rgb the photo, opaque ({@code TYPE_INT_RGB}, see {@code Preprocessor.flatten})
     */
    public BufferedImage render(BufferedImage rgb) {
        BufferedImage src = rgb.getSubimage(cropX, cropY, cropWidth, cropHeight);
        int w = drawnWidth();
        int h = drawnHeight();
        while (src.getWidth() >= 2 * w && src.getHeight() >= 2 * h && src.getWidth() >= 2 && src.getHeight() >= 2) {
            src = draw(src, src.getWidth() / 2, src.getHeight() / 2);
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB); // black
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, padX(), padY(), w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Photo x of a normalised model-input x: {@code cropX + (nx * size - padX) * cropWidth / drawnWidth}
     * (the picture as {@link #render} drew it, whole pixels and all).
     */
    public double imageX(double nx) {
        return cropX + (nx * size - padX()) * cropWidth / drawnWidth();
    }

    /** Photo y of a normalised model-input y: {@code cropY + (ny * size - padY) * cropHeight / drawnHeight}. */
    public double imageY(double ny) {
        return cropY + (ny * size - padY()) * cropHeight / drawnHeight();
    }

    /** {@code d} (normalised model-input coordinates) in photo pixels: box and keypoints mapped, score kept. */
    public FaceDetection toImage(FaceDetection d) {
        double[] kp = new double[d.keypoints().length];
        for (int k = 0; k < kp.length; k += 2) {
            kp[k] = imageX(d.keypoints()[k]);
            kp[k + 1] = imageY(d.keypoints()[k + 1]);
        }
        double x0 = imageX(d.x());
        double y0 = imageY(d.y());
        return new FaceDetection(x0, y0, imageX(d.x1()) - x0, imageY(d.y1()) - y0, kp, d.score());
    }
}
