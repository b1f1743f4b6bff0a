package io.imageworker.documents;

import java.awt.image.BufferedImage;

/**
 * One page of a document as rendered or decoded: its pixels, or its own error; the other pages do not
 * depend on it.
 *
 * @param number the page's number in the document, from 1
 * @param width the page's width in pixels as rendered (0 when it failed before its size was known)
 * @param height the page's height in pixels
 * @param dpi the resolution a PDF page was rendered at (less than the limits' {@code dpi} when the page
 *     was too large for it); 0 for a TIFF page or GIF frame, taken as stored
 * @param image the pixels (sRGB or grey), or null when the page failed
 * @param error why the page failed ({@link DocumentException#code()}: {@code page-too-large},
 *     {@code too-many-pixels}, {@code page-timeout}, {@code corrupt-page}), or null
 */
public record Page(int number, int width, int height, double dpi, BufferedImage image, DocumentException error) {

    /** Whether the page has pixels. */
    public boolean ok() {
        return error == null;
    }

    static Page failed(int number, int width, int height, double dpi, DocumentException error) {
        return new Page(number, width, height, dpi, null, error);
    }
}
