package io.imageworker.training.metrics;

import io.imageworker.tasks.text.Crops;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Pages of {@link DocumentSet} as a phone photographs them and a scanner app saves them: a PDF of JPEG
 * photos. Each page is drawn at 300 dpi, then seen at an angle (a perspective whose top edge is 6-10%
 * narrower than the bottom, turned by up to 2 degrees) on a desk that shows around it, lit from one side
 * (the far edge a quarter darker), out of focus, with sensor noise, and coded as JPEG at quality 0.75.
 */
final class PagePhotos {

    /** The desk around the page, BGR. */
    private static final Scalar DESK = new Scalar(70, 85, 100);

    private PagePhotos() {}

    /** The pages' photos in a PDF, one photo a page, each page sized as its photo at 300 dpi. */
    static byte[] pdf(List<List<String>> pages, Font font, Random r) throws IOException {
        try (PDDocument d = new PDDocument()) {
            for (List<String> lines : pages) {
                BufferedImage photo = photograph(DocumentSet.draw(lines, font, 300, 300), r);
                PDPage page = new PDPage(new PDRectangle(photo.getWidth() * 72f / 300, photo.getHeight() * 72f / 300));
                d.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                    cs.drawImage(JPEGFactory.createFromImage(d, photo, 0.75f), 0, 0, page.getMediaBox().getWidth(),
                            page.getMediaBox().getHeight());
                }
            }
            return DocumentSet.save(d);
        }
    }

    /** {@code page} (grey, 300 dpi) photographed: an RGB image 12% wider and 10% taller than the page. */
    static BufferedImage photograph(BufferedImage page, Random r) {
        int w = page.getWidth();
        int h = page.getHeight();
        int outW = (int) Math.round(w * 1.12);
        int outH = (int) Math.round(h * 1.10);
        double narrowing = (0.06 + 0.04 * r.nextDouble()) * w / 2;
        double turn = Math.toRadians((r.nextDouble() * 2 - 1) * 2);
        double mx = (outW - w) / 2.0;
        double my = (outH - h) / 2.0;
        Point[] corners = {new Point(mx + narrowing, my), new Point(mx + w - narrowing, my), new Point(mx + w, my + h),
            new Point(mx, my + h)};
        for (Point p : corners) { // turned about the photo's centre
            double x = p.x - outW / 2.0;
            double y = p.y - outH / 2.0;
            p.x = outW / 2.0 + x * Math.cos(turn) - y * Math.sin(turn);
            p.y = outH / 2.0 + x * Math.sin(turn) + y * Math.cos(turn);
        }
        Mat src = Crops.toMat(page);
        Mat out = new Mat();
        MatOfPoint2f from = new MatOfPoint2f(new Point(0, 0), new Point(w, 0), new Point(w, h), new Point(0, h));
        MatOfPoint2f to = new MatOfPoint2f(corners);
        Mat m = Imgproc.getPerspectiveTransform(from, to);
        try (Release ignored = new Release(src, out, from, to, m)) {
            Imgproc.warpPerspective(src, out, m, new Size(outW, outH), Imgproc.INTER_LINEAR, org.opencv.core.Core.BORDER_CONSTANT,
                    DESK);
            Imgproc.GaussianBlur(out, out, new Size(0, 0), 1.4);
            BufferedImage photo = Crops.toImage(out);
            light(photo, r);
            return photo;
        }
    }

    /** Light from one side: brightness falls linearly to 75% at the far edge; then noise of sigma 8 per channel. */
    private static void light(BufferedImage rgb, Random r) {
        int[] px = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int w = rgb.getWidth();
        boolean fromLeft = r.nextBoolean();
        for (int i = 0; i < px.length; i++) {
            int x = i % w;
            double gain = 1 - 0.25 * (fromLeft ? x : w - 1 - x) / (double) w;
            int v = px[i];
            int red = channel((v >> 16) & 0xff, gain, r);
            int green = channel((v >> 8) & 0xff, gain, r);
            int blue = channel(v & 0xff, gain, r);
            px[i] = red << 16 | green << 8 | blue;
        }
    }

    private static int channel(int v, double gain, Random r) {
        return (int) Math.max(0, Math.min(255, Math.round(v * gain + r.nextGaussian() * 8)));
    }

    /** Releases OpenCV mats at the end of a block. */
    private record Release(Mat... mats) implements AutoCloseable {
        @Override
        public void close() {
            for (Mat m : mats) {
                m.release();
            }
        }
    }
}
