package io.imageworker.tasks.faces;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import java.awt.image.BufferedImage;

/**
 * The face crop face-api's landmark and expression networks read, made as face-api makes it, so
 * that the imported networks see what the originals see on the same box: {@code extractFaceTensors}
 * (the box clipped to the photo, then x, y, width and height each floored: {@code
 * Box.clipAtImageBorders}), {@code padToSquare} centred (zeros; of an odd difference the larger half
 * after the picture), and TF's {@code resizeBilinear} without corner alignment or half-pixel centres
 * to the network's side, on the unrounded pixel values.
 *
 * @param x left edge of the crop in photo pixels
 * @param y top edge
 * @param width crop width, pixels, at least 1
 * @param height crop height, pixels, at least 1
 * @param padLeft zero columns before the crop in the padded square
 * @param padTop zero rows above it
 * @param side the padded square's side, {@code max(width, height)}
 */
public record FaceCrop(int x, int y, int width, int height, int padLeft, int padTop, int side) {

    /**
     * The crop of {@code face} in a {@code imageWidth x imageHeight} photo.
     *
     * @return null when less than a pixel of the box lies in the photo
     */
    public static FaceCrop of(FaceDetection face, int imageWidth, int imageHeight) {
        double cx = Math.max(face.x(), 0);
        double cy = Math.max(face.y(), 0);
        int w = (int) Math.floor(Math.min(face.x1() - cx, imageWidth - cx));
        int h = (int) Math.floor(Math.min(face.y1() - cy, imageHeight - cy));
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        if (w < 1 || h < 1 || x0 >= imageWidth || y0 >= imageHeight) {
            return null;
        }
        int side = Math.max(w, h);
        int diff = side - Math.min(w, h);
        int before = diff - (int) Math.round(diff * 0.5); // padToSquare appends Math.round(diff / 2), prepends the rest
        return new FaceCrop(x0, y0, w, h, w < h ? before : 0, h < w ? before : 0, side);
    }

    /**
     * The network's input: the padded square resized to {@code spec}'s side and normalised as
     * {@link Preprocessor#toTensor} does ({@code (value / 255 - mean) / std}), 3 x side x side.
     *
     * @param rgb the photo, opaque RGB
     * @throws IllegalArgumentException for a spec that is not square RGB
     */
    public ImageTensor tensor(BufferedImage rgb, Preprocessor.Spec spec) {
        int size = spec.width();
        if (spec.height() != size || spec.channels() != 3) {
            throw new IllegalArgumentException("a face crop is square RGB; the spec is " + spec.width() + "x" + spec.height()
                    + "x" + spec.channels());
        }
        int[] px = rgb.getRGB(x, y, width, height, null, 0, width);
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            mean[ch] = spec.mean()[Math.min(ch, spec.mean().length - 1)];
            std[ch] = spec.std()[Math.min(ch, spec.std().length - 1)];
        }
        float scale = side / (float) size; // resizeBilinear: source = output index * in / out
        int plane = size * size;
        float[] out = new float[3 * plane];
        for (int r = 0; r < size; r++) {
            float fy = r * scale;
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(side - 1, (int) Math.ceil(fy));
            float dy = fy - y0;
            for (int c = 0; c < size; c++) {
                float fx = c * scale;
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(side - 1, (int) Math.ceil(fx));
                float dx = fx - x0;
                int tl = pixel(px, y0, x0);
                int tr = pixel(px, y0, x1);
                int bl = pixel(px, y1, x0);
                int br = pixel(px, y1, x1);
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    float top = channel(tl, shift) + (channel(tr, shift) - channel(tl, shift)) * dx;
                    float bottom = channel(bl, shift) + (channel(br, shift) - channel(bl, shift)) * dx;
                    float v = (top + (bottom - top) * dy) / 255f;
                    out[ch * plane + r * size + c] = (v - mean[ch]) / std[ch];
                }
            }
        }
        return new ImageTensor(out, 3, size, size);
    }

    /** The padded square's RGB at (row, col): the photo's pixel, or black in the padding. */
    private int pixel(int[] px, int row, int col) {
        int yy = row - padTop;
        int xx = col - padLeft;
        return yy < 0 || yy >= height || xx < 0 || xx >= width ? 0 : px[yy * width + xx];
    }

    private static float channel(int rgb, int shift) {
        return (rgb >> shift) & 0xff;
    }

    /** Photo x of a fraction of the padded square's width (the landmark model's output). */
    public double imageX(double nx) {
        return x - padLeft + nx * side;
    }

    /** Photo y of a fraction of the padded square's height. */
    public double imageY(double ny) {
        return y - padTop + ny * side;
    }
}
