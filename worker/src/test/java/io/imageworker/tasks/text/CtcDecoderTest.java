package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {

    /** Classes: 0 blank, 1 "a", 2 "b", 3 "c", 4 space. */
    static final List<String> DICT = List.of("a", "b", "c");

    /** A step whose class {@code c} has probability {@code p}, the rest shared by the others. */
    static float[] step(int c, float p) {
        float[] row = new float[5];
        java.util.Arrays.fill(row, (1 - p) / 4);
        row[c] = p;
        return row;
    }

    @Test
    void collapsesRepeatsDropsBlanksAndKeepsARepeatSplitByABlank() {
        float[][] probs = {step(1, 0.9f), step(1, 0.7f), step(0, 0.8f), step(1, 0.6f), step(2, 0.5f), step(2, 0.9f),
            step(4, 0.8f), step(3, 0.4f), step(0, 0.99f)};
        CtcDecoder.Decoded d = CtcDecoder.decode(probs, DICT);
        // a a (repeat) _ a b b (repeat) space c _
        assertThat(d.text()).isEqualTo("aab c");
        // kept steps: 0 (0.9), 3 (0.6), 4 (0.5), 6 (0.8), 7 (0.4): the first of each run
        assertThat(d.confidence()).isCloseTo((0.9 + 0.6 + 0.5 + 0.8 + 0.4) / 5, within(1e-6));
    }

    @Test
    void onlyBlanksReadAsNothingWithConfidenceZero() {
        CtcDecoder.Decoded d = CtcDecoder.decode(new float[][] {step(0, 0.9f), step(0, 0.8f)}, DICT);
        assertThat(d.text()).isEmpty();
        assertThat(d.confidence()).isZero();
    }

    @Test
    void theClassAfterTheDictionaryIsASpaceAndBeyondItIsAnError() {
        assertThat(CtcDecoder.symbol(4, DICT)).isEqualTo(" ");
        assertThat(CtcDecoder.symbol(1, DICT)).isEqualTo("a");
        assertThatThrownBy(() -> CtcDecoder.decode(new CtcDecoder.Steps(new int[] {5}, new float[] {1f}), DICT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 5");
    }

    @Test
    void argmaxPicksEachStepsMostProbableClass() {
        CtcDecoder.Steps s = CtcDecoder.Steps.argmax(new float[][] {step(3, 0.7f), step(0, 0.6f)});
        assertThat(s.classes()).containsExactly(3, 0);
        assertThat(s.probabilities()).containsExactly(0.7f, 0.6f);
    }

    @Test
    void spansKeepEachSymbolsRunOfStepsAndReadAsDecodeDoes() {
        float[][] probs = {step(0, 0.9f), step(1, 0.9f), step(1, 0.7f), step(0, 0.8f), step(1, 0.6f), step(2, 0.5f),
            step(2, 0.9f), step(2, 0.9f), step(4, 0.8f), step(0, 0.8f), step(3, 0.4f)};
        CtcDecoder.Spans s = CtcDecoder.spans(CtcDecoder.Steps.argmax(probs), DICT);
        assertThat(s.steps()).isEqualTo(11);
        // _ a a _ a b b b space _ c
        assertThat(s.symbols()).containsExactly(new CtcDecoder.Symbol("a", 1, 2, 0.9f), new CtcDecoder.Symbol("a", 4, 4, 0.6f),
                new CtcDecoder.Symbol("b", 5, 7, 0.5f), new CtcDecoder.Symbol(" ", 8, 8, 0.8f),
                new CtcDecoder.Symbol("c", 10, 10, 0.4f));
        assertThat(s.symbols().get(2).centre()).isEqualTo(6.5);
        CtcDecoder.Decoded d = CtcDecoder.decode(probs, DICT);
        assertThat(s.text()).isEqualTo(d.text()).isEqualTo("aab c");
        assertThat(s.confidence()).isCloseTo(d.confidence(), within(1e-9));
        assertThat(CtcDecoder.spans(new CtcDecoder.Steps(new int[] {0, 0}, new float[] {1f, 1f}), DICT).confidence()).isZero();
    }
}
