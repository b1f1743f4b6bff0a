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
 * photos. Each page is drawn at 300 dpi, then seen at an angle on a desk that shows around it, lit from
 * one side, out of focus, with sensor noise, and coded as JPEG, as a {@link Shot} says: {@link Shot#DESK}
 * (a good photo) or {@link Shot#SHARED} (a hurried one, in the phone's shadow, sent through a messaging
 * app that shrinks it).
 */
final class PagePhotos {

    /** The desk around the page, BGR. */
    private static final Scalar DESK = new Scalar(70, 85, 100);

    private PagePhotos() {}

    /**
     * How a page is photographed and saved.
     *
     * @param narrowing the top edge is this much narrower than the bottom, at least (a share of the width)
     * @param narrowingSpan plus up to this much more, drawn per page
     * @param maxTurn turned by up to this either way, degrees
     * @param blur out of focus: Gaussian sigma, pixels at 300 dpi
     * @param falloff the side away from the light is this much darker (a share)
     * @param noise sensor noise, sigma in grey levels per channel
     * @param shadow the phone's shadow over part of the page makes it this much darker (a share; 0: none)
     * @param longSide the photo is sent shrunk to this many pixels on its long side (0: as taken)
     * @param quality JPEG quality, 0-1
     */
    record Shot(double narrowing, double narrowingSpan, double maxTurn, double blur, double falloff, double noise, double shadow,
            int longSide, float quality) {

        /** A good photo on a desk, saved by a scanner app: the {@code photo-pdf} kind. */
        static final Shot DESK = new Shot(0.06, 0.04, 2, 1.4, 0.25, 8, 0, 0, 0.75f);
        /**
         * A hurried photo sent through a messaging app: a steeper angle, the phone's shadow across part of the
         * page (45% darker, its edge 0.2 inch soft), a little more noise, shrunk to 1280 px on its long side (an
         * A5 page's 11 pt capitals about 15 px high) and coded at quality 0.6: the {@code photo-shared-pdf} kind.
         */
        static final Shot SHARED = new Shot(0.12, 0.06, 4, 1.4, 0.25, 10, 0.45, 1280, 0.6f);
    }

    /** The pages' photos in a PDF, one photo a page, each page sized as its photo at 300 dpi. */
    static byte[] pdf(List<List<String>> pages, Font font, Random r, Shot shot) throws IOException {
        try (PDDocument d = new PDDocument()) {
            for (List<String> lines : pages) {
                BufferedImage drawn = DocumentSet.draw(lines, font, 300, 300);
                BufferedImage photo = photograph(drawn, r, shot);
                // the page keeps the photo's size at 300 dpi; a shrunk photo is stretched over it, as apps do
                int fullW = (int) Math.round(drawn.getWidth() * 1.12);
                int fullH = (int) Math.round(drawn.getHeight() * 1.10);
                PDPage page = new PDPage(new PDRectangle(fullW * 72f / 300, fullH * 72f / 300));
                d.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                    cs.drawImage(JPEGFactory.createFromImage(d, photo, shot.quality()), 0, 0, page.getMediaBox().getWidth(),
                            page.getMediaBox().getHeight());
                }
            }
            return DocumentSet.save(d);
        }
    }

    /**
     * {@code page} (grey, 300 dpi) photographed: an RGB image 12% wider and 10% taller than the page, shrunk
     * to the shot's long side where it has one.
     */
    static BufferedImage photograph(BufferedImage page, Random r, Shot shot) {
        int w = page.getWidth();
        int h = page.getHeight();
        int outW = (int) Math.round(w * 1.12);
        int outH = (int) Math.round(h * 1.10);
        double narrowing = (shot.narrowing() + shot.narrowingSpan() * r.nextDouble()) * w / 2;
        double turn = Math.toRadians((r.nextDouble() * 2 - 1) * shot.maxTurn());
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
            Imgproc.GaussianBlur(out, out, new Size(0, 0), shot.blur());
            BufferedImage photo = Crops.toImage(out);
            light(photo, r, shot);
            if (shot.longSide() <= 0) {
                return photo;
            }
            double scale = shot.longSide() / (double) Math.max(outW, outH);
            Mat full = Crops.toMat(photo);
            Mat small = new Mat();
            try (Release alsoThese = new Release(full, small)) {
                Imgproc.resize(full, small, new Size(Math.round(outW * scale), Math.round(outH * scale)), 0, 0, Imgproc.INTER_AREA);
                return Crops.toImage(small);
            }
        }
    }

    /**
     * Light from one side: brightness falls linearly by the shot's falloff at the far edge; the phone's shadow
     * where it has one (beyond a line across the page, drawn per page, with a soft edge); then noise.
     */
    private static void light(BufferedImage rgb, Random r, Shot shot) {
        int[] px = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        boolean fromLeft = r.nextBoolean();
        // the shadow's edge: through a point in the middle third of the page, at an angle; drawn only for a shadow,
        // so the pages of a shot without one keep their draws
        double ex = 0;
        double ey = 0;
        double nx = 0;
        double ny = 0;
        if (shot.shadow() > 0) {
            ex = w * (1 + r.nextDouble()) / 3;
            ey = h * (1 + r.nextDouble()) / 3;
            double a = r.nextDouble() * Math.PI * 2;
            nx = Math.cos(a);
            ny = Math.sin(a);
        }
        double soft = 0.2 * 300;
        for (int i = 0; i < px.length; i++) {
            int x = i % w;
            double gain = 1 - shot.falloff() * (fromLeft ? x : w - 1 - x) / (double) w;
            if (shot.shadow() > 0) {
                double d = (x - ex) * nx + (i / w - ey) * ny; // signed distance from the edge, pixels
                double inShadow = Math.max(0, Math.min(1, 0.5 + d / soft));
                gain *= 1 - shot.shadow() * inShadow;
            }
            int v = px[i];
            int red = channel((v >> 16) & 0xff, gain, r, shot.noise());
            int green = channel((v >> 8) & 0xff, gain, r, shot.noise());
            int blue = channel(v & 0xff, gain, r, shot.noise());
            px[i] = red << 16 | green << 8 | blue;
        }
    }

    private static int channel(int v, double gain, Random r, double noise) {
        return (int) Math.max(0, Math.min(255, Math.round(v * gain + r.nextGaussian() * noise)));
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
