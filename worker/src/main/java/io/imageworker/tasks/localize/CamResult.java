package io.imageworker.tasks.localize;

/**
 * What a CAM model says about one image: a score per class (sigmoid probability that the class is
 * present: the model is multi-label) and each class's activation map at the network's feature
 * resolution ({@code M_c = sum_k w_ck f_k}, before any upsampling). Turn a map into a heatmap and a
 * box with {@link CamBoxes}.
 *
 * @param scores per class, in [0, 1]
 * @param mapHeight rows of each map
 * @param mapWidth columns of each map
 * @param maps {@code classes * mapHeight * mapWidth}, class-major then row-major
 */
public record CamResult(float[] scores, int mapHeight, int mapWidth, float[] maps) {

    /**
     * Checks that {@code maps} holds exactly {@code scores.length * mapHeight * mapWidth} values.
     *
     * @throws IllegalArgumentException otherwise
     */
    public CamResult {
        if (maps.length != scores.length * mapHeight * mapWidth) {
            throw new IllegalArgumentException("maps of " + maps.length + " values are not " + scores.length + "x"
                    + mapHeight + "x" + mapWidth);
        }
    }

    /** Number of classes: the length of {@code scores}, and the number of maps. */
    public int classes() {
        return scores.length;
    }

    /** The activation map of class {@code c} (a copy, row-major). */
    public float[] map(int c) {
        int plane = mapHeight * mapWidth;
        float[] out = new float[plane];
        System.arraycopy(maps, c * plane, out, 0, plane);
        return out;
    }

    /** The most probable class. */
    public int topClass() {
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }
}
