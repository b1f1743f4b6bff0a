package io.imageworker.tasks.text;

/**
 * One line of text read.
 *
 * @param quad where it is, input image pixels, clockwise from the top-left
 * @param text what it says
 * @param confidence the recognizer's mean probability over the line's symbols, in [0, 1]
 */
public record TextLine(Quad quad, String text, double confidence) {}
