package io.imageworker.tasks.text;

import java.util.List;

/**
 * Greedy (best-path) CTC decoding of a recognizer's per-step class probabilities, as PaddleOCR's
 * {@code CTCLabelDecode} does (ppocr/postprocess/rec_postprocess.py): take the most probable class
 * at each time step, collapse runs of the same class, drop the blank. Class 0 is the CTC blank,
 * class {@code i} (1..dictionary size) is dictionary symbol {@code i - 1}, and the class after the
 * dictionary is a space ({@code use_space_char}). The confidence is the mean of the kept steps'
 * probabilities, 0 when nothing is kept.
 *
 * <p>{@link #spans} decodes the same way but keeps, per symbol, the time steps of its run (as
 * PaddleOCR's {@code return_word_box} keeps the kept columns): step {@code t} of {@code T} sees
 * the columns {@code [t W / T, (t + 1) W / T)} of a line input {@code W} wide, so a symbol's steps
 * say where along the line it was read ({@link LineWords}).
 */
public final class CtcDecoder {

    /** The CTC blank's class index. */
    public static final int BLANK = 0;

    private CtcDecoder() {}

    /**
     * A decoded line.
     *
     * @param text the symbols read, possibly empty
     * @param confidence mean probability of the kept steps, in [0, 1]; 0 when {@code text} is empty
     */
    public record Decoded(String text, double confidence) {}

    /**
     * The best class of each step and its probability: what the recognizer's translator returns.
     *
     * @param classes per time step, the most probable class (0 = blank)
     * @param probabilities per time step, that class's probability
     */
    public record Steps(int[] classes, float[] probabilities) {

        /**
         * @throws IllegalArgumentException when the arrays differ in length
         */
        public Steps {
            if (classes.length != probabilities.length) {
                throw new IllegalArgumentException(classes.length + " classes but " + probabilities.length + " probabilities");
            }
        }

        /** The argmax per row of a (steps x classes) probability matrix. */
        public static Steps argmax(float[][] probabilities) {
            int[] c = new int[probabilities.length];
            float[] p = new float[probabilities.length];
            for (int t = 0; t < probabilities.length; t++) {
                float[] row = probabilities[t];
                int best = 0;
                for (int k = 1; k < row.length; k++) {
                    if (row[k] > row[best]) {
                        best = k;
                    }
                }
                c[t] = best;
                p[t] = row[best];
            }
            return new Steps(c, p);
        }
    }

    /**
     * One kept symbol and where the recognizer saw it.
     *
     * @param text the symbol (a space for the space class)
     * @param first the first time step of its run, 0-based
     * @param last the last time step of its run (the same class on every step between), at least {@code first}
     * @param confidence the probability at {@code first}, the step greedy decoding keeps, in [0, 1]
     */
    public record Symbol(String text, int first, int last, double confidence) {

        /** The centre of its run, in steps ({@code first} to {@code last + 1}). */
        public double centre() {
            return (first + last + 1) / 2.0;
        }
    }

    /**
     * A decoded line with its symbols' steps; between two symbols' runs are the blank steps.
     *
     * @param symbols the kept symbols, in order, spaces included
     * @param steps the number of time steps the recognizer gave (the line's width in steps)
     */
    public record Spans(List<Symbol> symbols, int steps) {

        /** The symbols' text, as {@link #decode(Steps, List)} reads it. */
        public String text() {
            StringBuilder b = new StringBuilder();
            symbols.forEach(s -> b.append(s.text()));
            return b.toString();
        }

        /** The mean of the symbols' confidences (spaces included), 0 when there are none: {@link Decoded#confidence()}. */
        public double confidence() {
            return symbols.stream().mapToDouble(Symbol::confidence).average().orElse(0);
        }
    }

    /**
     * Decodes best-path steps as {@link #decode(Steps, List)} does, keeping each symbol's run of steps.
     *
     * @throws IllegalArgumentException for a class beyond the dictionary and the space
     */
    public static Spans spans(Steps steps, List<String> dictionary) {
        int[] c = steps.classes();
        List<Symbol> out = new java.util.ArrayList<>();
        int t = 0;
        while (t < c.length) {
            int end = t;
            while (end + 1 < c.length && c[end + 1] == c[t]) {
                end++;
            }
            if (c[t] != BLANK) {
                out.add(new Symbol(symbol(c[t], dictionary), t, end, steps.probabilities()[t]));
            }
            t = end + 1;
        }
        return new Spans(List.copyOf(out), c.length);
    }

    /** Decodes a (steps x classes) probability matrix; see {@link #decode(Steps, List)}. */
    public static Decoded decode(float[][] probabilities, List<String> dictionary) {
        return decode(Steps.argmax(probabilities), dictionary);
    }

    /**
     * Decodes best-path steps over {@code dictionary} (one symbol per class 1..size; the class
     * {@code size + 1} is a space).
     *
     * @throws IllegalArgumentException for a class beyond the dictionary and the space
     */
    public static Decoded decode(Steps steps, List<String> dictionary) {
        StringBuilder text = new StringBuilder();
        double sum = 0;
        int kept = 0;
        int previous = -1;
        for (int t = 0; t < steps.classes().length; t++) {
            int c = steps.classes()[t];
            boolean repeat = c == previous;
            previous = c;
            if (repeat || c == BLANK) {
                continue;
            }
            text.append(symbol(c, dictionary));
            sum += steps.probabilities()[t];
            kept++;
        }
        return new Decoded(text.toString(), kept == 0 ? 0 : sum / kept);
    }

    /** The symbol of class {@code c} (1-based over the dictionary, then the space). */
    static String symbol(int c, List<String> dictionary) {
        if (c >= 1 && c <= dictionary.size()) {
            return dictionary.get(c - 1);
        }
        if (c == dictionary.size() + 1) {
            return " ";
        }
        throw new IllegalArgumentException("class " + c + " is outside the dictionary of " + dictionary.size()
                + " symbols, the blank (0) and the space (" + (dictionary.size() + 1) + ")");
    }
}
