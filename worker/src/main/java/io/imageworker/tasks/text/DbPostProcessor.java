package io.imageworker.tasks.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.RotatedRect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Differentiable Binarization post-processing (Liao et al., "Real-time Scene Text Detection with
 * Differentiable Binarization", AAAI 2020; PaddleOCR's {@code DBPostProcess},
 * ppocr/postprocess/db_postprocess.py): binarise the probability map, take each contour's
 * minimum-area rectangle, score it by the mean probability inside the contour, grow ("unclip") the
 * rectangle by {@code d = area * ratio / perimeter} on each side, and scale it to the input image.
 * Contours, rectangles and masks are OpenCV's.
 */
public final class DbPostProcessor {

    /**
     * The post-processing's parameters (PaddleOCR's defaults in brackets; the detector's card
     * carries them as options).
     *
     * @param binaryThreshold probability at or above which a pixel is text ({@code det_db_thresh}, 0.3)
     * @param boxThreshold least mean probability inside a contour to keep it ({@code det_db_box_thresh}, 0.6)
     * @param unclipRatio how far rectangles grow ({@code det_db_unclip_ratio}, 1.5)
     * @param maxCandidates most contours looked at ({@code max_candidates}, 1000)
     * @param minSize least short side of a rectangle, map pixels, before unclipping; after, at least {@code minSize + 2} ({@code min_size}, 3)
     */
    public record Params(double binaryThreshold, double boxThreshold, double unclipRatio, int maxCandidates, int minSize) {

        /** PaddleOCR's defaults (tools/infer/utility.py, ppocr/postprocess/db_postprocess.py). */
        public static final Params PADDLE = new Params(0.3, 0.6, 1.5, 1000, 3);
    }

    /**
     * One detected text region.
     *
     * @param quad its 4 corners in input image pixels, clockwise from the top-left
     * @param score mean text probability inside its contour, in [0, 1]
     */
    public record Detection(Quad quad, double score) {}

    private DbPostProcessor() {}

    /**
     * The text regions of {@code map}, in the pixels of an input image of {@code imageWidth x
     * imageHeight} (the map covers the whole image, resized), in the order OpenCV found them.
     */
    public static List<Detection> detect(ProbabilityMap map, int imageWidth, int imageHeight, Params p) {
        OpenCv.load();
        int w = map.width();
        int h = map.height();
        Mat prob = new Mat(h, w, CvType.CV_32F);
        Mat binary = new Mat();
        Mat hierarchy = new Mat();
        List<MatOfPoint> contours = new ArrayList<>();
        List<Detection> out = new ArrayList<>();
        try {
            prob.put(0, 0, map.values());
            // strictly above, as PaddleOCR's "pred > thresh"
            Imgproc.threshold(prob, binary, p.binaryThreshold(), 255, Imgproc.THRESH_BINARY);
            binary.convertTo(binary, CvType.CV_8U);
            Imgproc.findContours(binary, contours, hierarchy, Imgproc.RETR_LIST, Imgproc.CHAIN_APPROX_SIMPLE);
            int n = Math.min(contours.size(), p.maxCandidates());
            for (int i = 0; i < n; i++) {
                MatOfPoint contour = contours.get(i);
                MatOfPoint2f c2f = new MatOfPoint2f(contour.toArray());
                try {
                    RotatedRect rect = Imgproc.minAreaRect(c2f);
                    if (Math.min(rect.size.width, rect.size.height) < p.minSize()) {
                        continue;
                    }
                    double score = meanInside(prob, contour);
                    if (score < p.boxThreshold()) {
                        continue;
                    }
                    RotatedRect grown = unclip(rect, p.unclipRatio());
                    if (Math.min(grown.size.width, grown.size.height) < p.minSize() + 2) {
                        continue;
                    }
                    out.add(new Detection(toImage(grown, w, h, imageWidth, imageHeight), score));
                } finally {
                    c2f.release();
                }
            }
        } finally {
            contours.forEach(Mat::release);
            prob.release();
            binary.release();
            hierarchy.release();
        }
        return out;
    }

    /**
     * The rectangle grown by {@code d = area * ratio / perimeter} on each side, keeping its centre
     * and angle. This is exactly the minimum-area rectangle of PaddleOCR's unclip (a pyclipper
     * offset of the rectangle by {@code d} with round joins): the rounded corners stay inside the
     * rectangle grown by {@code d}, and its edges touch it.
     *
     * @param ratio the unclip ratio (1.5 by default)
     */
    public static RotatedRect unclip(RotatedRect rect, double ratio) {
        double w = rect.size.width;
        double h = rect.size.height;
        double d = unclipDistance(w, h, ratio);
        return new RotatedRect(rect.center.clone(), new Size(w + 2 * d, h + 2 * d), rect.angle);
    }

    /** The unclip offset of a {@code w x h} rectangle: {@code area * ratio / perimeter}, 0 for a degenerate one. */
    public static double unclipDistance(double w, double h, double ratio) {
        double perimeter = 2 * (w + h);
        return perimeter <= 0 ? 0 : w * h * ratio / perimeter;
    }

    /** Mean of {@code prob} over the pixels inside (and on) {@code contour}. */
    static double meanInside(Mat prob, MatOfPoint contour) {
        Rect b = Imgproc.boundingRect(contour);
        int x0 = Math.max(0, b.x);
        int y0 = Math.max(0, b.y);
        Rect r = new Rect(x0, y0, Math.min(prob.cols(), b.x + b.width) - x0, Math.min(prob.rows(), b.y + b.height) - y0);
        if (r.width <= 0 || r.height <= 0) {
            return 0;
        }
        Mat mask = Mat.zeros(r.height, r.width, CvType.CV_8U);
        MatOfPoint shifted = new MatOfPoint();
        Mat roi = prob.submat(r);
        try {
            Point[] pts = contour.toArray();
            for (Point pt : pts) {
                pt.x -= r.x;
                pt.y -= r.y;
            }
            shifted.fromArray(pts);
            Imgproc.fillPoly(mask, List.of(shifted), new Scalar(1));
            return Core.mean(roi, mask).val[0];
        } finally {
            mask.release();
            shifted.release();
            roi.release();
        }
    }

    /** The rectangle's corners scaled from map to image pixels, clipped to the image, ordered. */
    static Quad toImage(RotatedRect rect, int mapW, int mapH, int imageW, int imageH) {
        Point[] corners = new Point[4];
        rect.points(corners);
        double[] x = new double[4];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            x[i] = clamp(Math.round(corners[i].x / mapW * imageW), imageW);
            y[i] = clamp(Math.round(corners[i].y / mapH * imageH), imageH);
        }
        return Quad.ordered(x, y);
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** Orders detections top to bottom by their top-left corner (then left to right): a stable order for the crops. */
    static final Comparator<Detection> TOP_DOWN = Comparator.<Detection>comparingDouble(d -> d.quad().y()[0])
            .thenComparingDouble(d -> d.quad().x()[0]);
}
