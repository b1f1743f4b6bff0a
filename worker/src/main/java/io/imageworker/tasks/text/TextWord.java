package io.imageworker.tasks.text;

import java.util.List;

/**
 * One word of a line: a run of symbols between spaces (a Chinese or Japanese character is a word
 * of its own, as PaddleOCR's word boxes and Cloud Vision give them), placed from the recognizer's
 * time steps ({@link LineWords}).
 *
 * @param quad where it is, input image pixels, clockwise from the word's top-left as it reads
 * @param text its symbols, no space
 * @param confidence the mean of its symbols' confidences, in [0, 1]
 * @param symbols its symbols, in reading order
 */
public record TextWord(Quad quad, String text, double confidence, List<Symbol> symbols) {

    /**
     * One symbol (a character) of a word.
     *
     * @param quad where it is, input image pixels, clockwise from its top-left as it reads
     * @param text the symbol
     * @param confidence the recognizer's probability of it at the step greedy decoding keeps, in [0, 1]
     */
    public record Symbol(Quad quad, String text, double confidence) {}
}
