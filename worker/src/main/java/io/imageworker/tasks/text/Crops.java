package io.imageworker.tasks.text;

import io.imageworker.imaging.Preprocessor;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * {@code image} as an 8-bit, 3-channel BGR Mat, flattened as the model input is ({@link Preprocessor#flatten}:
     * greys of a grey image as a viewer shows them, transparency over the ground); release it when done.
     */
    public static Mat toMat(BufferedImage image) {
        OpenCv.load();
        int w = image.getWidth();
        int h = image.getHeight();
        // not image.getRGB: it reads the JDK's grey space as linear light and would brighten a grey page's every
        // anti-aliased edge (128 reads 188), thinning the strokes the recognizer sees
        int[] rgb = Preprocessor.flatten(image).getRGB(0, 0, w, h, null, 0, w);
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

    /** {@code quad} grown by {@code margin} box heights on every side; see {@link #grow(Quad, double, double, double, int, int)}. */
    public static Quad grow(Quad quad, double margin, int width, int height) {
        double h = quad.height();
        return grow(quad, margin * h, margin * h, margin * h, width, height);
    }

    /**
     * {@code quad} grown along its own edges by {@code vertical} pixels above and below,
     * {@code left} pixels before its left edge and {@code right} pixels after its right edge,
     * clipped to the image ({@code width x height}); the quad itself when nothing grows.
     */
    public static Quad grow(Quad quad, double vertical, double left, double right, int width, int height) {
        if (vertical <= 0 && left <= 0 && right <= 0) {
            return quad;
        }
        double[] x = quad.x();
        double[] y = quad.y();
        // unit vectors along the top edge (u) and down the left edge (v)
        double ul = Math.max(1e-9, quad.topLength());
        double ux = (x[1] - x[0]) / ul;
        double uy = (y[1] - y[0]) / ul;
        double vx = -uy;
        double vy = ux;
        double[] du = {-left, right, right, -left};
        double[] dv = {-vertical, -vertical, vertical, vertical};
        double[] gx = new double[4];
        double[] gy = new double[4];
        for (int i = 0; i < 4; i++) {
            gx[i] = Math.max(0, Math.min(width, x[i] + du[i] * ux + dv[i] * vx));
            gy[i] = Math.max(0, Math.min(height, y[i] + du[i] * uy + dv[i] * vy));
        }
        return new Quad(gx, gy);
    }

    /**
     * Each quad grown by {@code margin} of its height on every side, except that it grows left and
     * right by at most half the gap to the nearest quad beside it in the same row (vertical overlap
     * over half the lower height, measured along the quad's own axes), so that a line the detector
     * cut in two does not take the neighbouring part's edge glyph into its crop (0 when they touch).
     */
    public static List<Quad> growApart(List<Quad> quads, double margin, int width, int height) {
        List<Quad> out = new ArrayList<>(quads.size());
        for (int i = 0; i < quads.size(); i++) {
            // A vertical line (read top to bottom once cut and turned, see crop) grows in its reading
            // frame: its height is its width on the image, and neighbours stop it along its length.
            // In the image's frame a 500 px spine line grew 125 px along itself into the next line.
            boolean vertical = isVertical(quads.get(i));
            Quad q = vertical ? readingFrame(quads.get(i)) : quads.get(i);
            double h = q.height();
            double left = margin * h;
            double right = margin * h;
            double ul = Math.max(1e-9, q.topLength());
            double ux = (q.x()[1] - q.x()[0]) / ul;
            double uy = (q.y()[1] - q.y()[0]) / ul;
            double[] self = extent(q, q, ux, uy);
            for (int j = 0; j < quads.size(); j++) {
                if (j == i) {
                    continue;
                }
                double[] other = extent(quads.get(j), q, ux, uy);
                double vOverlap = Math.min(self[3], other[3]) - Math.max(self[2], other[2]);
                if (vOverlap <= 0.5 * Math.min(self[3] - self[2], other[3] - other[2])) {
                    continue;
                }
                if (other[0] >= self[0] && other[0] - self[1] < 2 * right) {
                    right = Math.max(0, (other[0] - self[1]) / 2);
                } else if (other[1] <= self[1] && self[0] - other[1] < 2 * left) {
                    left = Math.max(0, (self[0] - other[1]) / 2);
                }
            }
            Quad grown = grow(q, margin * h, left, right, width, height);
            out.add(vertical ? imageFrame(grown) : grown);
        }
        return out;
    }

    /** True when {@link #crop} turns this quad's region 90 degrees (at least {@value #VERTICAL_RATIO} times higher than wide). */
    static boolean isVertical(Quad q) {
        double w = Math.max(q.topLength(), Math.hypot(q.x()[2] - q.x()[3], q.y()[2] - q.y()[3]));
        return q.height() / Math.max(1e-9, w) >= VERTICAL_RATIO;
    }

    /** A vertical quad's corners relabelled as its line reads once turned counter-clockwise: the image's top-right is the text's top-left. */
    static Quad readingFrame(Quad q) {
        double[] x = q.x();
        double[] y = q.y();
        return new Quad(new double[] {x[1], x[2], x[3], x[0]}, new double[] {y[1], y[2], y[3], y[0]});
    }

    /** The inverse of {@link #readingFrame}. */
    static Quad imageFrame(Quad r) {
        double[] x = r.x();
        double[] y = r.y();
        return new Quad(new double[] {x[3], x[0], x[1], x[2]}, new double[] {y[3], y[0], y[1], y[2]});
    }

    /** {u0, u1, v0, v1}: {@code q}'s corners along {@code frame}'s top edge (u) and its normal (v), from frame's top-left. */
    private static double[] extent(Quad q, Quad frame, double ux, double uy) {
        double u0 = Double.MAX_VALUE;
        double u1 = -Double.MAX_VALUE;
        double v0 = Double.MAX_VALUE;
        double v1 = -Double.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            double dx = q.x()[k] - frame.x()[0];
            double dy = q.y()[k] - frame.y()[0];
            double u = dx * ux + dy * uy;
            double v = -dx * uy + dy * ux;
            u0 = Math.min(u0, u);
            u1 = Math.max(u1, u);
            v0 = Math.min(v0, v);
            v1 = Math.max(v1, v);
        }
        return new double[] {u0, u1, v0, v1};
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
