package io.imageworker.tasks.faces;

import io.imageworker.models.ModelCard;
import java.util.ArrayList;
import java.util.List;

/**
 * The mapping from a detector's face box to the box face datasets and people draw: from the hairline
 * (or the top of the visible forehead) to the chin, cheek to cheek, as the faces evaluation set is
 * labelled. BlazeFace's box is tighter (brows to mouth, roughly the skin region): Cloud Vision gives
 * that kind of box as {@code fdBoundingPoly} and the framed one as {@code boundingPoly}, and the task
 * gives both ({@code box}: the detector's, {@code headBox}: this mapping of it).
 *
 * <p>The mapping moves the box's centre by a share of its size and scales its sides:
 * {@code cx' = cx + dx * width}, {@code cy' = cy + dy * height}, {@code width' = sx * width},
 * {@code height' = sy * height}. Its four numbers are fitted ({@link #fit}: the median of each ratio
 * over detected and labelled face pairs) and held on the detector's card ({@value #DX}, {@value #DY},
 * {@value #SX}, {@value #SY}); a card without them maps a box to itself.
 *
 * @param dx centre shift right, share of the box's width
 * @param dy centre shift down, share of the box's height
 * @param sx width factor, &gt; 0
 * @param sy height factor, &gt; 0
 */
public record HeadBox(double dx, double dy, double sx, double sy) {

    /** Card option: {@link #dx}. */
    public static final String DX = "headBoxDx";
    /** Card option: {@link #dy}. */
    public static final String DY = "headBoxDy";
    /** Card option: {@link #sx}. */
    public static final String SX = "headBoxScaleX";
    /** Card option: {@link #sy}. */
    public static final String SY = "headBoxScaleY";

    /** A box maps to itself: a detector whose box already is the framed one, or one not measured. */
    public static final HeadBox IDENTITY = new HeadBox(0, 0, 1, 1);

    /**
     * Checks the factors.
     *
     * @throws IllegalArgumentException for a factor that is not positive and finite, or a shift that is not finite
     */
    public HeadBox {
        if (!(sx > 0 && sy > 0 && Double.isFinite(sx) && Double.isFinite(sy) && Double.isFinite(dx) && Double.isFinite(dy))) {
            throw new IllegalArgumentException("head box mapping dx " + dx + " dy " + dy + " sx " + sx + " sy " + sy);
        }
    }

    /** The card's mapping ({@value #DX}, {@value #DY}, {@value #SX}, {@value #SY}); {@link #IDENTITY} where it names none. */
    public static HeadBox of(ModelCard card) {
        return new HeadBox(card.taskOption(DX, 0), card.taskOption(DY, 0), card.taskOption(SX, 1), card.taskOption(SY, 1));
    }

    /**
     * The framed box of {@code d}, clipped to a {@code width x height} photo; keypoints and score kept.
     *
     * @param d a detection in photo pixels
     */
    public FaceDetection apply(FaceDetection d, int width, int height) {
        double cx = d.x() + d.width() / 2 + dx * d.width();
        double cy = d.y() + d.height() / 2 + dy * d.height();
        double w = sx * d.width();
        double h = sy * d.height();
        double x0 = Math.max(0, cx - w / 2);
        double y0 = Math.max(0, cy - h / 2);
        double x1 = Math.min(width, cx + w / 2);
        double y1 = Math.min(height, cy + h / 2);
        return new FaceDetection(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0), d.keypoints(), d.score());
    }

    /**
     * The mapping that takes each {@code detected} box to its {@code labelled} box, as the median of
     * each of the four ratios over the pairs (robust to a few poor pairs).
     *
     * @param detected detector boxes, photo pixels
     * @param labelled the labelled box of the same face, in the same order
     * @throws IllegalArgumentException for lists of different lengths or empty ones
     */
    public static HeadBox fit(List<FaceDetection> detected, List<FaceDetection> labelled) {
        if (detected.size() != labelled.size() || detected.isEmpty()) {
            throw new IllegalArgumentException(detected.size() + " detected boxes and " + labelled.size() + " labelled ones");
        }
        List<Double> dx = new ArrayList<>();
        List<Double> dy = new ArrayList<>();
        List<Double> sx = new ArrayList<>();
        List<Double> sy = new ArrayList<>();
        for (int i = 0; i < detected.size(); i++) {
            FaceDetection d = detected.get(i);
            FaceDetection t = labelled.get(i);
            dx.add((t.x() + t.width() / 2 - d.x() - d.width() / 2) / d.width());
            dy.add((t.y() + t.height() / 2 - d.y() - d.height() / 2) / d.height());
            sx.add(t.width() / d.width());
            sy.add(t.height() / d.height());
        }
        return new HeadBox(median(dx), median(dy), median(sx), median(sy));
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
