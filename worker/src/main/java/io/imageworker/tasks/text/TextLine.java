package io.imageworker.tasks.text;

import java.util.List;

/**
 * One line of text read.
 *
 * @param quad where it is, input image pixels, clockwise from the top-left
 * @param text what it says
 * @param confidence the recognizer's mean probability over the line's symbols, in [0, 1]
 * @param words its words in reading order, each with its symbols, placed from the recognizer's time
 *     steps ({@link LineWords}); empty when the line was not read with them
 */
public record TextLine(Quad quad, String text, double confidence, List<TextWord> words) {

    /** A line without words. */
    public TextLine(Quad quad, String text, double confidence) {
        this(quad, text, confidence, List.of());
    }
}
