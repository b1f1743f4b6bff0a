package io.imageworker.tasks.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** NanoDet's decoding on outputs made by hand, where the boxes and scores it must give are known. */
class NanodetDecoderTest {

    static final int SIZE = 416;
    static final int BINS = 11;
    static final NanodetDecoder.Options ALL = new NanodetDecoder.Options(0.3, 100, null);

    /** Empty outputs (scores 0, flat distributions) for the three levels, 80 classes. */
    static List<float[]> scores() {
        List<float[]> l = new ArrayList<>();
        for (int stride : NanodetDecoder.STRIDES) {
            l.add(new float[(SIZE / stride) * (SIZE / stride) * 80]);
        }
        return l;
    }

    static List<float[]> boxes() {
        List<float[]> l = new ArrayList<>();
        for (int stride : NanodetDecoder.STRIDES) {
            l.add(new float[(SIZE / stride) * (SIZE / stride) * 4 * BINS]);
        }
        return l;
    }

    /** A sharp distribution: bin {@code k} of side {@code side} of a cell far above the rest. */
    static void sharp(float[] b, int cell, int side, int k) {
        b[(cell * 4 + side) * BINS + k] = 50;
    }

    @Test
    void aSharpDistributionGivesItsBinTimesTheStrideFromTheCellCentre() {
        List<float[]> s = scores();
        List<float[]> b = boxes();
        int cell = 10 * 26 + 7; // stride 16: row 10, column 7, centre (120, 168)
        s.get(1)[cell * 80 + 15] = 0.9f; // a cat
        sharp(b.get(1), cell, 0, 2);
        sharp(b.get(1), cell, 1, 3);
        sharp(b.get(1), cell, 2, 4);
        sharp(b.get(1), cell, 3, 5);
        List<NanodetDecoder.Detection> d = NanodetDecoder.decode(s, b, SIZE, ALL);
        assertThat(d).hasSize(1);
        NanodetDecoder.Detection cat = d.get(0);
        assertThat(CocoLabels.NAMES.get(cat.classIndex())).isEqualTo("cat");
        assertThat(cat.score()).isEqualTo(0.9f);
        assertThat(cat.x1()).isCloseTo(120 - 2 * 16, within(1e-3f));
        assertThat(cat.y1()).isCloseTo(168 - 3 * 16, within(1e-3f));
        assertThat(cat.x2()).isCloseTo(120 + 4 * 16, within(1e-3f));
        assertThat(cat.y2()).isCloseTo(168 + 5 * 16, within(1e-3f));
    }

    @Test
    void aFlatDistributionGivesTheMeanBin() {
        float[] d = NanodetDecoder.distances(new float[4 * BINS], 0, BINS, 8);
        assertThat(d).containsOnly(5 * 8f);
        float[] two = new float[4 * BINS];
        two[0] = 1;
        two[1] = 1; // bins 0 and 1 equally likely, the rest e times less each
        double e = Math.E;
        double expected = (0 * e + 1 * e + (2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10)) / (2 * e + 9) * 8;
        assertThat(NanodetDecoder.distances(two, 0, BINS, 8)[0]).isCloseTo((float) expected, within(1e-4f));
    }

    @Test
    void boxesAreClippedToTheInput() {
        List<float[]> s = scores();
        List<float[]> b = boxes();
        s.get(2)[0] = 0.8f; // stride 32, the top-left cell, a person
        sharp(b.get(2), 0, 0, 10);
        sharp(b.get(2), 0, 1, 10);
        List<NanodetDecoder.Detection> d = NanodetDecoder.decode(s, b, SIZE, ALL);
        assertThat(d.get(0).x1()).isZero();
        assertThat(d.get(0).y1()).isZero();
    }

    @Test
    void suppressionIsPerClassAndKeepsTheBest() {
        NanodetDecoder.Detection a = new NanodetDecoder.Detection(0, 0.9f, 10, 10, 110, 110);
        NanodetDecoder.Detection b = new NanodetDecoder.Detection(0, 0.8f, 15, 15, 115, 115); // IoU 0.82 with a
        NanodetDecoder.Detection c = new NanodetDecoder.Detection(16, 0.7f, 15, 15, 115, 115); // a dog in the same place
        NanodetDecoder.Detection far = new NanodetDecoder.Detection(0, 0.6f, 200, 200, 300, 300);
        NanodetDecoder.Detection half = new NanodetDecoder.Detection(0, 0.5f, 60, 10, 160, 110); // IoU 0.33 with a
        assertThat(NanodetDecoder.nms(new ArrayList<>(List.of(b, far, c, a, half)), NanodetDecoder.NMS_IOU, 100))
                .containsExactly(a, c, far, half);
        assertThat(NanodetDecoder.nms(new ArrayList<>(List.of(b, far, c, a, half)), NanodetDecoder.NMS_IOU, 2))
                .containsExactly(a, c);
    }

    @Test
    void minScoreAndClassesChooseTheCandidates() {
        List<float[]> s = scores();
        List<float[]> b = boxes();
        s.get(0)[100 * 80] = 0.5f; // a person at stride 8
        s.get(0)[900 * 80 + 2] = 0.25f; // a car below the default cut
        s.get(0)[1500 * 80 + 16] = 0.6f; // a dog
        assertThat(NanodetDecoder.decode(s, b, SIZE, ALL)).extracting(NanodetDecoder.Detection::classIndex)
                .containsExactly(16, 0);
        assertThat(NanodetDecoder.decode(s, b, SIZE, new NanodetDecoder.Options(0.2, 100, null)))
                .extracting(NanodetDecoder.Detection::classIndex).containsExactly(16, 0, 2);
        assertThat(NanodetDecoder.decode(s, b, SIZE, new NanodetDecoder.Options(0.2, 100, Set.of(0, 2))))
                .extracting(NanodetDecoder.Detection::classIndex).containsExactly(0, 2);
    }

    @Test
    void theLabelsAreCocos80() {
        assertThat(CocoLabels.NAMES).hasSize(80).doesNotHaveDuplicates();
        assertThat(CocoLabels.NAMES.get(0)).isEqualTo("person");
        assertThat(CocoLabels.NAMES.get(15)).isEqualTo("cat");
        assertThat(CocoLabels.NAMES.get(41)).isEqualTo("cup");
        assertThat(CocoLabels.NAMES.get(79)).isEqualTo("toothbrush");
    }
}
