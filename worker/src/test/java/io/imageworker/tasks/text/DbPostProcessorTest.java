package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.RotatedRect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

class DbPostProcessorTest {

    @BeforeAll
    static void opencv() {
        OpenCv.load();
    }

    @Test
    void unclipGrowsARectangleByAreaTimesRatioOverPerimeterOnEachSide() {
        // d = 100 * 20 * 1.5 / 240 = 12.5
        assertThat(DbPostProcessor.unclipDistance(100, 20, 1.5)).isCloseTo(12.5, within(1e-12));
        RotatedRect r = DbPostProcessor.unclip(new RotatedRect(new Point(50, 30), new Size(100, 20), 17), 1.5);
        assertThat(r.size.width).isCloseTo(125, within(1e-9));
        assertThat(r.size.height).isCloseTo(45, within(1e-9));
        assertThat(r.angle).isEqualTo(17);
        assertThat(r.center.x).isEqualTo(50);
        assertThat(r.center.y).isEqualTo(30);
    }

    /**
     * The closed form equals what PaddleOCR computes: the minimum-area rectangle of the rectangle
     * offset by d with round joins (its Minkowski sum with a disc of radius d), built here point
     * by point and measured with OpenCV.
     */
    @Test
    void unclipEqualsTheMinimumAreaRectangleOfTheRoundOffsetPolygon() {
        RotatedRect rect = new RotatedRect(new Point(200, 120), new Size(160, 24), 10);
        double d = DbPostProcessor.unclipDistance(160, 24, 1.5);
        Point[] corners = new Point[4];
        rect.points(corners);
        List<Point> offset = new ArrayList<>();
        for (Point c : corners) {
            for (int k = 0; k < 720; k++) {
                double a = 2 * Math.PI * k / 720;
                offset.add(new Point(c.x + d * Math.cos(a), c.y + d * Math.sin(a)));
            }
        }
        MatOfPoint2f poly = new MatOfPoint2f(offset.toArray(Point[]::new));
        RotatedRect measured = Imgproc.minAreaRect(poly);
        poly.release();
        RotatedRect closed = DbPostProcessor.unclip(rect, 1.5);
        double[] m = sorted(measured.size);
        double[] c = sorted(closed.size);
        assertThat(m[0]).isCloseTo(c[0], within(0.05));
        assertThat(m[1]).isCloseTo(c[1], within(0.05));
        assertThat(measured.center.x).isCloseTo(closed.center.x, within(0.05));
        assertThat(measured.center.y).isCloseTo(closed.center.y, within(0.05));
    }

    private static double[] sorted(Size s) {
        return new double[] {Math.min(s.width, s.height), Math.max(s.width, s.height)};
    }

    @Test
    void aTextRegionBecomesItsGrownBoxInImagePixelsAndWeakOrTinyRegionsAreDropped() {
        int w = 100;
        int h = 40;
        float[] p = new float[w * h];
        fill(p, w, 20, 79, 10, 19, 0.9f); // text: contour 59 x 9 map pixels
        fill(p, w, 85, 95, 30, 36, 0.5f); // above the binary threshold, below the box threshold
        fill(p, w, 5, 6, 30, 31, 0.95f); // 2 x 2: under min size
        // the map covers an image twice its size
        List<DbPostProcessor.Detection> found = DbPostProcessor.detect(new ProbabilityMap(p, h, w), 200, 80,
                DbPostProcessor.Params.PADDLE);
        assertThat(found).hasSize(1);
        DbPostProcessor.Detection d = found.get(0);
        assertThat(d.score()).isCloseTo(0.9, within(1e-6));
        double grow = DbPostProcessor.unclipDistance(59, 9, 1.5); // 5.857
        Quad q = d.quad();
        assertThat(q.x()[0]).isCloseTo(2 * (20 - grow), within(1.0));
        assertThat(q.y()[0]).isCloseTo(2 * (10 - grow), within(1.0));
        assertThat(q.x()[2]).isCloseTo(2 * (79 + grow), within(1.0));
        assertThat(q.y()[2]).isCloseTo(2 * (19 + grow), within(1.0));
        // clockwise from the top-left
        assertThat(q.x()[1]).isGreaterThan(q.x()[0]);
        assertThat(q.y()[3]).isGreaterThan(q.y()[0]);
        assertThat(q.inside(200, 80)).isTrue();
    }

    @Test
    void boxesAreClippedToTheImage() {
        int w = 64;
        int h = 32;
        float[] p = new float[w * h];
        fill(p, w, 0, 63, 0, 8, 0.99f);
        List<DbPostProcessor.Detection> found = DbPostProcessor.detect(new ProbabilityMap(p, h, w), 64, 32,
                DbPostProcessor.Params.PADDLE);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).quad().inside(64, 32)).isTrue();
        assertThat(found.get(0).quad().x()[0]).isZero();
        assertThat(found.get(0).quad().y()[0]).isZero();
    }

    @Test
    void quadCornersAreOrderedClockwiseFromTheTopLeft() {
        Quad q = Quad.ordered(new double[] {10, 0, 12, 2}, new double[] {8, 2, 0, 10});
        // a box turned ~10 degrees: top-left (0,2), top-right (12,0), bottom-right (10,8), bottom-left (2,10)
        assertThat(q.x()).containsExactly(0, 12, 10, 2);
        assertThat(q.y()).containsExactly(2, 0, 8, 10);
    }

    @Test
    void growingAQuadMovesEachEdgeOutwardAlongTheQuadsOwnAxes() {
        // a 100 x 20 box turned 30 degrees about the origin
        double a = Math.toRadians(30);
        double[] ux = {0, 100, 100, 0};
        double[] vy = {0, 0, 20, 20};
        double[] x = new double[4];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            x[i] = 500 + ux[i] * Math.cos(a) - vy[i] * Math.sin(a);
            y[i] = 500 + ux[i] * Math.sin(a) + vy[i] * Math.cos(a);
        }
        Quad q = new Quad(x, y);
        Quad g = Crops.grow(q, 5, 10, 10, 2000, 2000);
        // 5 above and below, 10 left and right
        assertThat(g.topLength()).isCloseTo(120, within(1e-9));
        assertThat(g.leftLength()).isCloseTo(30, within(1e-9));
        assertThat(Math.toDegrees(g.angle())).isCloseTo(30, within(1e-9));
        assertThat(g.centre()[0]).isCloseTo(q.centre()[0], within(1e-9));
        assertThat(g.centre()[1]).isCloseTo(q.centre()[1], within(1e-9));
        // clipped to the image
        Quad clipped = Crops.grow(q, 5, 10, 10, 540, 2000);
        assertThat(clipped.inside(540, 2000)).isTrue();
        assertThat(Crops.grow(q, 0, 0, 0, 2000, 2000)).isSameAs(q);
        assertThat(Crops.grow(q, 0.25, 2000, 2000).leftLength()).isCloseTo(30, within(1e-9));
    }

    @Test
    void boxesSideBySideGrowAtMostHalfWayTowardsEachOther() {
        // two parts of one row, 40 px high, 12 px apart; a third line far below
        Quad a = new Quad(new double[] {100, 300, 300, 100}, new double[] {100, 100, 140, 140});
        Quad b = new Quad(new double[] {312, 400, 400, 312}, new double[] {102, 102, 140, 140});
        Quad c = new Quad(new double[] {100, 300, 300, 100}, new double[] {300, 300, 340, 340});
        List<Quad> grown = Crops.growApart(List.of(a, b, c), 0.25, 1000, 1000);
        // a: 10 px margin up, down and left; right only 6 px (half the 12 px gap)
        assertThat(grown.get(0).x()).containsExactly(90, 306, 306, 90);
        assertThat(grown.get(0).y()).containsExactly(90, 90, 150, 150);
        assertThat(grown.get(1).x()[0]).isCloseTo(306, within(1e-9));
        assertThat(grown.get(1).x()[1]).isCloseTo(400 + 0.25 * 38, within(1e-9));
        // c has nothing beside it
        assertThat(grown.get(2).x()).containsExactly(90, 310, 310, 90);
    }

    static void fill(float[] p, int w, int x0, int x1, int y0, int y1, float v) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                p[y * w + x] = v;
            }
        }
    }
}
