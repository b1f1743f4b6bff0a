package io.imageworker.tasks.text;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Cuts text lines out of the input image as PaddleOCR's {@code get_rotate_crop_image}
 * (tools/infer/utility.py) does: a perspective warp of the quad to an upright rectangle as wide as
 * its longer horizontal edge and as high as its longer vertical edge (bicubic, edges replicated),
 * turned 90 degrees counter-clockwise when it is at least {@value #VERTICAL_RATIO} times higher than
 * wide (a vertical line). Also the resizes the classifier and recognizer inputs need (OpenCV,
 * bilinear, as PaddleOCR's {@code cv2.resize}). Images here are opaque {@code TYPE_INT_RGB}.
 */
public final class Crops {

    /**
     * Margin added around each detected box before it is cut out, as a fraction of the box's height
     * on every side: PP-OCRv4's boxes are tight, and on tight crops the recognizer drops the
     * spaces between words (measured by CropMarginStudyTest; PaddleOCR adds none).
     */
    public static final double DEFAULT_MARGIN = 0.25;

    /** Height / width at or above which a crop is turned 90 degrees (PaddleOCR: 1.5). */
    public static final double VERTICAL_RATIO = 1.5;

    private Crops() {}

    /** {@code image} (opaque RGB) as an 8-bit, 3-channel BGR Mat; release it when done. */
    public static Mat toMat(BufferedImage image) {
        OpenCv.load();
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] bgr = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            int px = rgb[i];
            bgr[3 * i] = (byte) px;
            bgr[3 * i + 1] = (byte) (px >> 8);
            bgr[3 * i + 2] = (byte) (px >> 16);
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        return m;
    }

    /** An 8-bit BGR Mat as an opaque RGB image. */
    public static BufferedImage toImage(Mat bgrMat) {
        int w = bgrMat.cols();
        int h = bgrMat.rows();
        byte[] bgr = new byte[w * h * 3];
        bgrMat.get(0, 0, bgr);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = ((bgr[3 * i + 2] & 0xff) << 16) | ((bgr[3 * i + 1] & 0xff) << 8) | (bgr[3 * i] & 0xff);
        }
        return out;
    }

    /**
     * The region of {@code quad} in {@code image} (a BGR Mat of the whole input) as an upright line image.
     *
     * @return an image at least 1x1; turned 90 degrees counter-clockwise when the region is vertical
     */
    public static BufferedImage crop(Mat image, Quad quad) {
        int w = Math.max(1, (int) Math.max(quad.topLength(), Math.hypot(quad.x()[2] - quad.x()[3], quad.y()[2] - quad.y()[3])));
        int h = Math.max(1, (int) Math.max(quad.leftLength(), Math.hypot(quad.x()[2] - quad.x()[1], quad.y()[2] - quad.y()[1])));
        MatOfPoint2f src = new MatOfPoint2f(new Point(quad.x()[0], quad.y()[0]), new Point(quad.x()[1], quad.y()[1]),
                new Point(quad.x()[2], quad.y()[2]), new Point(quad.x()[3], quad.y()[3]));
        MatOfPoint2f dst = new MatOfPoint2f(new Point(0, 0), new Point(w, 0), new Point(w, h), new Point(0, h));
        Mat m = Imgproc.getPerspectiveTransform(src, dst);
        Mat out = new Mat();
        try {
            Imgproc.warpPerspective(image, out, m, new Size(w, h), Imgproc.INTER_CUBIC, Core.BORDER_REPLICATE);
            if (h / (double) w >= VERTICAL_RATIO) {
                Core.rotate(out, out, Core.ROTATE_90_COUNTERCLOCKWISE);
            }
            return toImage(out);
        } finally {
            src.release();
            dst.release();
            m.release();
            out.release();
        }
    }

    /** {@code quad} grown by {@code margin} box heights on every side; see {@link #grow(Quad, double, double, int, int)}. */
    public static Quad grow(Quad quad, double margin, int width, int height) {
        return grow(quad, margin, margin, width, height);
    }

    /**
     * {@code quad} grown along its own edges by {@code vertical} times its height above and below
     * and {@code horizontal} times its height left and right (the height: the longer of its two
     * vertical edges), clipped to the image ({@code width x height}).
     */
    public static Quad grow(Quad quad, double vertical, double horizontal, int width, int height) {
        if (vertical <= 0 && horizontal <= 0) {
            return quad;
        }
        double h = Math.max(quad.leftLength(), Math.hypot(quad.x()[2] - quad.x()[1], quad.y()[2] - quad.y()[1]));
        double dv = vertical * h;
        double dh = horizontal * h;
        double[] x = quad.x();
        double[] y = quad.y();
        // unit vectors along the top edge (u) and down the left edge (v)
        double ul = Math.max(1e-9, quad.topLength());
        double ux = (x[1] - x[0]) / ul;
        double uy = (y[1] - y[0]) / ul;
        double vx = -uy;
        double vy = ux;
        double[] su = {-1, 1, 1, -1};
        double[] sv = {-1, -1, 1, 1};
        double[] gx = new double[4];
        double[] gy = new double[4];
        for (int i = 0; i < 4; i++) {
            gx[i] = Math.max(0, Math.min(width, x[i] + dh * su[i] * ux + dv * sv[i] * vx));
            gy[i] = Math.max(0, Math.min(height, y[i] + dh * su[i] * uy + dv * sv[i] * vy));
        }
        return new Quad(gx, gy);
    }

    /** {@code image} resized to {@code width x height} with OpenCV's bilinear interpolation. */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        Mat in = toMat(image);
        Mat out = new Mat();
        try {
            Imgproc.resize(in, out, new Size(width, height), 0, 0, Imgproc.INTER_LINEAR);
            return toImage(out);
        } finally {
            in.release();
            out.release();
        }
    }

    /** {@code image} turned 180 degrees (a line the angle classifier found upside down). */
    public static BufferedImage rotate180(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] px = image.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            out[px.length - 1 - i] = px[i];
        }
        BufferedImage r = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        r.setRGB(0, 0, w, h, out, 0, w);
        return r;
    }

    /**
     * The width a line crop is resized to for the recognizer: proportional at height
     * {@code height}, rounded to a multiple of {@code multiple} (at least one multiple), so that
     * crops of similar width share a shape and a batch without padding.
     */
    public static int recognizerWidth(int cropWidth, int cropHeight, int height, int multiple) {
        double w = cropWidth * (double) height / Math.max(1, cropHeight);
        return Math.max(multiple, (int) Math.round(w / multiple) * multiple);
    }

    /**
     * The width a crop takes inside the angle classifier's fixed input (PaddleOCR's
     * {@code resize_norm_img} for the classifier): {@code min(maxWidth, ceil(height * w / h))};
     * the rest is padding.
     */
    public static int classifierWidth(int cropWidth, int cropHeight, int height, int maxWidth) {
        return Math.max(1, Math.min(maxWidth, (int) Math.ceil(height * (double) cropWidth / Math.max(1, cropHeight))));
    }
}
