package io.imageworker.training.segment;

import io.imageworker.training.data.SceneGenerator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.imaging.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recall per group of digits on a scene laid out by hand. */
class DigitRecallTest {

    @Test
    void groupsSmallAndOverlappingDigits() {
        int side = 20;
        byte[] labels = new byte[side * side];
        Box a = new Box(0, 0, 3, 3); // a 3, small, alone
        Box b = new Box(4, 0, 8, 16); // a 5, 16 px high, overlapped by c
        Box c = new Box(6, 10, 10, 14); // a 7, small, over b
        fill(labels, side, a, 4);
        fill(labels, side, b, 6);
        fill(labels, side, c, 8); // c's ink wins where they overlap: b keeps 56 of its 64 pixels
        int[] predicted = new int[labels.length];
        for (int p = 0; p < labels.length; p++) {
            predicted[p] = labels[p];
        }
        for (int y = 0; y < 7; y++) { // b: 28 of 56 missed
            for (int x = 4; x < 8; x++) {
                predicted[y * side + x] = 0;
            }
        }
        for (int y = 10; y < 12; y++) { // c: 8 of 16 missed
            for (int x = 6; x < 10; x++) {
                predicted[y * side + x] = 0;
            }
        }
        DigitRecall r = new DigitRecall();
        r.add(new SceneGenerator.Scene(new float[side * side], labels, side, new int[] {3, 5, 7}, List.of(a, b, c)),
                predicted);
        assertThat(r.all()).isCloseTo(45 / 81.0, within(1e-12));
        assertThat(r.small()).isCloseTo(17 / 25.0, within(1e-12));
        assertThat(r.overlapping()).isCloseTo(36 / 72.0, within(1e-12));
    }

    @Test
    void emptyGroupsHaveNoRecall() {
        DigitRecall r = new DigitRecall();
        assertThat(r.all()).isNaN();
        assertThat(r.small()).isNaN();
        assertThat(r.overlapping()).isNaN();
    }

    private static void fill(byte[] labels, int side, Box box, int label) {
        for (int y = box.y0(); y < box.y1(); y++) {
            for (int x = box.x0(); x < box.x1(); x++) {
                labels[y * side + x] = (byte) label;
            }
        }
    }
}
