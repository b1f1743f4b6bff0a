package io.imageworker.tasks.localize;

import io.imageworker.imaging.Box;
import java.util.ArrayDeque;

/**
 * The CAM recipe's post-processing, in plain Java: upsample a class activation map to the input,
 * keep the pixels at or above a fraction of its maximum, and box the largest 8-connected
 * component. Also the map's peak, for the pointing game.
 */
public final class CamBoxes {

    /** Model card option: the fraction of a map's maximum to cut it at, chosen when the model was trained. */
    public static final String THRESHOLD_OPTION = "camThreshold";
    /** Cut of a card that names none. */
    public static final double DEFAULT_THRESHOLD = 0.3;

    private CamBoxes() {}

    /** A class's map upsampled to the input with its box and peak, in input pixels. */
    public record Localization(float[] heatmap, int width, int height, Box box, int peakX, int peakY) {}

    /** Upsamples map {@code c} of {@code result} to {@code width x height} and boxes it at {@code fraction} of its max. */
    public static Localization locate(CamResult result, int c, int width, int height, double fraction) {
        float[] map = result.map(c);
        float[] up = upsample(map, result.mapWidth(), result.mapHeight(), width, height);
        int[] peak = peak(map, result.mapWidth(), result.mapHeight(), width, height);
        return new Localization(up, width, height, box(up, width, height, fraction), peak[0], peak[1]);
    }

    /**
     * The map's peak in input pixels {x, y}, refined between cells: a parabola through the best cell
     * and its two neighbours, along each axis, puts the maximum where the sampled map suggests it is
     * rather than on the cell lattice (cells are {@code width / mapWidth} pixels apart, which is wider
     * than a thin digit).
     */
    public static int[] peak(float[] map, int mapWidth, int mapHeight, int width, int height) {
        int best = argMax(map);
        int cx = best % mapWidth;
        int cy = best / mapWidth;
        double x = cx + offset(map, best, cx > 0 ? best - 1 : -1, cx < mapWidth - 1 ? best + 1 : -1);
        double y = cy + offset(map, best, cy > 0 ? best - mapWidth : -1, cy < mapHeight - 1 ? best + mapWidth : -1);
        int px = (int) Math.round(x * width / (double) mapWidth);
        int py = (int) Math.round(y * height / (double) mapHeight);
        return new int[] {Math.max(0, Math.min(width - 1, px)), Math.max(0, Math.min(height - 1, py))};
    }

    /** Vertex of the parabola through (-1, before), (0, at), (1, after), in [-0.5, 0.5]; 0 at an edge. */
    static double offset(float[] map, int at, int before, int after) {
        if (before < 0 || after < 0) {
            return 0;
        }
        double a = map[before];
        double b = map[at];
        double c = map[after];
        double curvature = a - 2 * b + c;
        if (curvature >= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, (a - c) / (2 * curvature)));
    }

    /**
     * Bilinear upsampling of a map {@code s} times smaller than the image ({@code s = width /
     * mapWidth}), with feature cell {@code k} centred on pixel {@code k * s}: where the CAM network's
     * stride-2 convolutions (3x3, padding 1) centre it, so the map lines up with the digits (half a
     * cell off would miss thin digits such as 1). Pixels past the last centre take the edge value.
     */
    public static float[] upsample(float[] map, int mapWidth, int mapHeight, int width, int height) {
        float[] out = new float[width * height];
        float sx = mapWidth / (float) width;
        float sy = mapHeight / (float) height;
        for (int y = 0; y < height; y++) {
            float fy = Math.min(mapHeight - 1, y * sy);
            int y0 = (int) fy;
            int y1 = Math.min(mapHeight - 1, y0 + 1);
            float wy = fy - y0;
            for (int x = 0; x < width; x++) {
                float fx = Math.min(mapWidth - 1, x * sx);
                int x0 = (int) fx;
                int x1 = Math.min(mapWidth - 1, x0 + 1);
                float wx = fx - x0;
                out[y * width + x] = (1 - wy) * ((1 - wx) * map[y0 * mapWidth + x0] + wx * map[y0 * mapWidth + x1])
                        + wy * ((1 - wx) * map[y1 * mapWidth + x0] + wx * map[y1 * mapWidth + x1]);
            }
        }
        return out;
    }

    /**
     * Box of the largest 8-connected region of pixels at or above {@code fraction} of the map's
     * maximum; null when the maximum is not positive (the class left no evidence).
     */
    public static Box box(float[] map, int width, int height, double fraction) {
        float max = map[argMax(map)];
        if (!(max > 0)) {
            return null;
        }
        float cut = (float) (fraction * max);
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            mask[i] = map[i] >= cut;
        }
        return largestComponent(mask, width, height);
    }

    /** Bounding box of the largest 8-connected component of {@code mask}; null when it is empty. */
    public static Box largestComponent(boolean[] mask, int width, int height) {
        boolean[] seen = new boolean[mask.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int bestSize = 0;
        Box best = null;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || seen[start]) {
                continue;
            }
            int size = 0;
            int x0 = Integer.MAX_VALUE;
            int y0 = Integer.MAX_VALUE;
            int x1 = -1;
            int y1 = -1;
            seen[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int px = p % width;
                int py = p / width;
                size++;
                x0 = Math.min(x0, px);
                y0 = Math.min(y0, py);
                x1 = Math.max(x1, px);
                y1 = Math.max(y1, py);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
                            int q = ny * width + nx;
                            if (mask[q] && !seen[q]) {
                                seen[q] = true;
                                queue.add(q);
                            }
                        }
                    }
                }
            }
            if (size > bestSize) {
                bestSize = size;
                best = new Box(x0, y0, x1 + 1, y1 + 1);
            }
        }
        return best;
    }

    /** Index of the largest value (the first one on ties). */
    public static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
