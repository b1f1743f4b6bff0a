package io.imageworker.imaging;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The dominant colours of an image (Cloud Vision's IMAGE_PROPERTIES), without a model: pixels are
 * quantised to 4 bits per channel, the most frequent cells win, and each reports the mean colour of
 * its pixels and its share of the image. Deterministic; large images are sampled on a grid.
 */
public final class DominantColors {

    /**
     * One dominant colour.
     *
     * @param hex mean colour of the cell's pixels, {@code #RRGGBB}
     * @param fraction share of the image's pixels
     */
    public record Swatch(String hex, double fraction) {}

    private static final int MAX_SAMPLES = 1 << 18;

    private DominantColors() {}

    /**
     * The {@code count} most frequent colour cells of {@code image}, most frequent first (ties by
     * cell index); fewer when the image has fewer distinct cells. Transparency is flattened as for
     * the model input ({@link Preprocessor#flatten}); an image of more than 2^18 pixels is sampled
     * on a regular grid, every {@code ceil(sqrt(w * h / 2^18))} pixels in x and y, so that at most
     * about 2^18 are counted. Fractions are of the pixels counted, rounded to 4 decimals.
     *
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public static List<Swatch> of(BufferedImage image, int count) {
        BufferedImage rgb = Preprocessor.flatten(image);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int step = (int) Math.max(1, Math.ceil(Math.sqrt((double) w * h / MAX_SAMPLES)));
        long[] n = new long[4096];
        long[] sr = new long[4096];
        long[] sg = new long[4096];
        long[] sb = new long[4096];
        long total = 0;
        for (int y = 0; y < h; y += step) {
            for (int x = 0; x < w; x += step) {
                int p = rgb.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                int cell = (r >> 4) << 8 | (g >> 4) << 4 | (b >> 4);
                n[cell]++;
                sr[cell] += r;
                sg[cell] += g;
                sb[cell] += b;
                total++;
            }
        }
        List<Integer> cells = new ArrayList<>();
        for (int c = 0; c < n.length; c++) {
            if (n[c] > 0) {
                cells.add(c);
            }
        }
        cells.sort((a, b) -> n[a] != n[b] ? Long.compare(n[b], n[a]) : Integer.compare(a, b));
        List<Swatch> out = new ArrayList<>();
        for (int c : cells.subList(0, Math.min(count, cells.size()))) {
            int r = (int) (sr[c] / n[c]);
            int g = (int) (sg[c] / n[c]);
            int b = (int) (sb[c] / n[c]);
            out.add(new Swatch(String.format("#%02X%02X%02X", r, g, b), Math.round(1e4 * n[c] / (double) total) / 1e4));
        }
        return out;
    }
}
