package io.imageworker.tasks.text;

import java.util.List;

/**
 * Lines that belong together (a paragraph, a sign, a column), in reading order.
 *
 * @param quad the rectangle around its lines, aligned with the text's dominant direction, input
 *     image pixels, clockwise from the top-left
 * @param text its rows joined by a newline; lines side by side in a row joined by a space
 * @param confidence its lines' confidences weighted by their number of characters, in [0, 1]
 * @param lines its lines, in reading order
 */
public record TextBlock(Quad quad, String text, double confidence, List<TextLine> lines) {}
