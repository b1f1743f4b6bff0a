package io.imageworker.tasks.text;

import io.imageworker.imaging.Preprocessor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * How the detector sees one image of extreme shape: a strip (a subtitle, a banner, a receipt's long
 * line) or a tall roll (a receipt, a spine).
 *
 * <p>Why: PaddleOCR sizes the detector input so that the <em>longer</em> side is at most
 * {@code maxSide} (960). On a 2400x64 strip that is 960x32: the line's capitals shrink to about
 * 15 px high and to 0.4 of their width, one row of the network's deepest (stride 32) features spans the whole height,
 * and the detector finds only the two ends of the line ("MEET ME A", "ROW MORNING"); on a 300x3000
 * roll the width becomes 96 px and lines of 16 px become 5 px. The cure is in the sizing, not in
 * the thresholds: the probability map on the words it missed stays below 0.1.
 *
 * <p>The rule: an image no longer than {@code maxSide}, or no longer than {@value #MAX_ASPECT}
 * times its short side, is seen whole, exactly as before ({@link TextReader#detectorSize}); so
 * ordinary images do not change. A longer image is scaled (both sides alike) so that its short
 * side is what an image of aspect {@value #MAX_ASPECT} would keep under PaddleOCR's rule
 * ({@code min(short, maxSide / MAX_ASPECT)}) rounded up to a size multiple, and at least
 * {@link #MIN_ACROSS} multiples (a thinner strip is enlarged), and its long side is cut into tiles of {@code maxSide}
 * that overlap by {@link #overlap} (at least a line's height, so each word lies whole in some
 * tile). The tiles' probability maps are stitched into one map of the whole scaled image, each
 * position taken from the tile whose centre is nearest (where the network saw most context), and
 * post-processed once: a line that crosses tiles comes out as one box, with no boxes to merge.
 * The tiles together see at most {@value #MAX_PIXELS} times {@code maxSide^2} pixels (the short
 * side shrinks by multiples for longer images, down to one multiple; past that, a strip over
 * about 100,000 px long, only the decoder's pixel limit bounds the work), bounding time and memory.
 */
public final class DetectorTiles {

    /** Long / short side above which an image longer than {@code maxSide} is tiled. */
    public static final double MAX_ASPECT = 3;
    /**
     * Least short side of a tiled image, in size multiples (2: 64 px): at 32 px the detector's
     * deepest features (stride 32) are one row for the whole height, and it lost the middle of
     * 1200x40 and 2400x64 strips seen 32 px high; a thinner strip is enlarged to this.
     */
    public static final int MIN_ACROSS = 2;
    /** The tiles of one image see at most this many times {@code maxSide^2} pixels. */
    public static final double MAX_PIXELS = 4;

    /**
     * Where the tiles lie.
     *
     * @param width the whole scaled image's width, pixels (the stitched map's width)
     * @param height the whole scaled image's height, pixels
     * @param horizontal true when the tiles follow the width (a strip), false the height (a roll)
     * @param tileLength each tile's length along the long side, pixels, a multiple of the size multiple
     * @param starts each tile's first pixel along the long side, ascending; the last tile ends at the image's end
     */
    public record Plan(int width, int height, boolean horizontal, int tileLength, List<Integer> starts) {

        /** Tiles in this plan; 1 means the image is seen whole as {@link TextReader#detectorSize} says. */
        public int tiles() {
            return starts.size();
        }

        /** One tile's width, pixels. */
        public int tileWidth() {
            return horizontal ? tileLength : width;
        }

        /** One tile's height, pixels. */
        public int tileHeight() {
            return horizontal ? height : tileLength;
        }
    }

    private DetectorTiles() {}

    /**
     * The plan for an image of {@code width x height} pixels.
     *
     * @param maxSide longest side of one detector input, pixels
     * @param multiple the detector input's sides are multiples of this, pixels
     */
    public static Plan plan(int width, int height, int maxSide, int multiple) {
        int lng = Math.max(width, height);
        int shrt = Math.min(width, height);
        int tile = Math.max(multiple, maxSide / multiple * multiple);
        if (lng <= maxSide || lng <= shrt * MAX_ASPECT) {
            int[] size = TextReader.detectorSize(width, height, maxSide, multiple);
            return new Plan(size[0], size[1], width >= height, width >= height ? size[0] : size[1],
                    List.of(0));
        }
        double s0 = Math.min(1.0, maxSide / (shrt * MAX_ASPECT));
        int across = Math.min(tile, Math.max(MIN_ACROSS * multiple, ceilTo(shrt * s0, multiple)));
        while (true) {
            // one scale for both sides: the glyphs keep their shape
            int along = Math.max(tile, (int) Math.round(lng * across / (double) shrt));
            int overlap = overlap(across, tile, multiple);
            int n = (int) Math.ceil((along - overlap) / (double) (tile - overlap));
            if ((double) n * tile * across <= MAX_PIXELS * maxSide * (double) maxSide || across <= multiple) {
                List<Integer> starts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    starts.add(n == 1 ? 0 : (int) Math.round(i * (along - tile) / (double) (n - 1)));
                }
                boolean horizontal = width >= height;
                return new Plan(horizontal ? along : across, horizontal ? across : along, horizontal, tile, starts);
            }
            across -= multiple;
        }
    }

    private static int ceilTo(double v, int multiple) {
        return (int) Math.ceil(v / multiple - 1e-9) * multiple;
    }

    /**
     * How far neighbouring tiles overlap: the short side (a line fills at most that, so a word cut
     * by one tile's edge lies whole in the next), at least two size multiples and at most a quarter
     * of a tile.
     */
    static int overlap(int across, int tile, int multiple) {
        return Math.min(tile / 4, Math.max(2 * multiple, across));
    }

    /** {@code rgb} (opaque RGB) resized to the plan's whole size and cut into its tiles, in order. */
    public static List<BufferedImage> cut(BufferedImage rgb, Plan plan) {
        BufferedImage whole = Preprocessor.resize(rgb, plan.width(), plan.height());
        List<BufferedImage> tiles = new ArrayList<>(plan.tiles());
        for (int start : plan.starts()) {
            tiles.add(plan.horizontal() ? whole.getSubimage(start, 0, plan.tileLength(), plan.height())
                    : whole.getSubimage(0, start, plan.width(), plan.tileLength()));
        }
        return tiles;
    }

    /**
     * The tiles' maps (in the plan's order, each {@code tileWidth x tileHeight}) as one map of the
     * plan's whole size: each position along the long side from the tile whose centre is nearest.
     *
     * @throws IllegalArgumentException when the count or a size does not match the plan
     */
    public static ProbabilityMap stitch(List<ProbabilityMap> maps, Plan plan) {
        if (maps.size() != plan.tiles()) {
            throw new IllegalArgumentException(maps.size() + " maps for " + plan.tiles() + " tiles");
        }
        if (plan.tiles() == 1) {
            return maps.get(0);
        }
        for (ProbabilityMap m : maps) {
            if (m.width() != plan.tileWidth() || m.height() != plan.tileHeight()) {
                throw new IllegalArgumentException("a " + m.width() + "x" + m.height() + " map for a " + plan.tileWidth() + "x"
                        + plan.tileHeight() + " tile");
            }
        }
        int w = plan.width();
        int h = plan.height();
        float[] out = new float[w * h];
        int along = plan.horizontal() ? w : h;
        int t = 0;
        for (int p = 0; p < along; p++) {
            // the tiles' centres ascend, so the nearest only moves forward
            while (t + 1 < plan.tiles() && Math.abs(centre(plan, t + 1) - p) <= Math.abs(centre(plan, t) - p)) {
                t++;
            }
            float[] src = maps.get(t).values();
            int q = p - plan.starts().get(t);
            if (plan.horizontal()) {
                for (int y = 0; y < h; y++) {
                    out[y * w + p] = src[y * plan.tileLength() + q];
                }
            } else {
                System.arraycopy(src, q * w, out, p * w, w);
            }
        }
        return new ProbabilityMap(out, h, w);
    }

    private static double centre(Plan plan, int tile) {
        return plan.starts().get(tile) + plan.tileLength() / 2.0;
    }
}
