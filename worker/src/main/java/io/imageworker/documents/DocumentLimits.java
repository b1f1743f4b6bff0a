package io.imageworker.documents;

import java.time.Duration;

/**
 * The limits and render settings of documents, all checked before a page is rendered.
 *
 * @param maxBytes the largest document, in bytes
 * @param maxPages the most pages a document may have (Cloud Vision's files:asyncBatchAnnotate takes up to 2,000)
 * @param maxPagePixels the most pixels (width x height) one rendered page, a TIFF page or a GIF frame may have
 * @param maxImagePixels the most pixels one image inside a PDF page may declare (a scan at 600 dpi on A3 is
 *     70 million); a page drawing a larger one fails with {@code too-many-pixels}
 * @param dpi the resolution PDF pages are rendered at, dots per inch (300: what OCR wants and self-hosters use)
 * @param minDpi the lowest resolution a page may be rendered at when {@code dpi} would pass
 *     {@code maxPagePixels}: a larger page is rendered at the resolution that fits, down to this; below it the
 *     page fails with {@code page-too-large}
 * @param pageTimeout how long one page may take to render before it fails with {@code page-timeout}
 */
public record DocumentLimits(long maxBytes, int maxPages, long maxPagePixels, long maxImagePixels, int dpi, int minDpi,
        Duration pageTimeout) {

    /** 50 MiB. */
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    /** 2,000 pages, Cloud Vision's limit for a file. */
    public static final int DEFAULT_MAX_PAGES = 2000;
    /** 40 million pixels per page, the worker's limit for an image. */
    public static final long DEFAULT_MAX_PAGE_PIXELS = 40_000_000L;
    /** 100 million pixels per image inside a page. */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 100_000_000L;
    /** 300 dpi. */
    public static final int DEFAULT_DPI = 300;
    /** 72 dpi: one pixel per PDF point. */
    public static final int DEFAULT_MIN_DPI = 72;
    /** 30 seconds per page. */
    public static final Duration DEFAULT_PAGE_TIMEOUT = Duration.ofSeconds(30);

    /** Checks the values. */
    public DocumentLimits {
        if (maxBytes <= 0 || maxPages <= 0 || maxPagePixels <= 0 || maxImagePixels <= 0) {
            throw new IllegalArgumentException("document limits must be positive");
        }
        if (minDpi <= 0 || dpi < minDpi) {
            throw new IllegalArgumentException("dpi " + dpi + " must be at least minDpi " + minDpi + " > 0");
        }
        if (pageTimeout == null || pageTimeout.isNegative() || pageTimeout.isZero()) {
            throw new IllegalArgumentException("pageTimeout must be positive");
        }
    }

    /** The defaults named by the constants. */
    public static DocumentLimits defaults() {
        return new DocumentLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, DEFAULT_MAX_PAGE_PIXELS, DEFAULT_MAX_IMAGE_PIXELS,
                DEFAULT_DPI, DEFAULT_MIN_DPI, DEFAULT_PAGE_TIMEOUT);
    }

    /** These limits with another page time budget. */
    public DocumentLimits withPageTimeout(Duration timeout) {
        return new DocumentLimits(maxBytes, maxPages, maxPagePixels, maxImagePixels, dpi, minDpi, timeout);
    }

    /** These limits with other page counts and pixel limits. */
    public DocumentLimits withPages(int pages, long pagePixels) {
        return new DocumentLimits(maxBytes, pages, pagePixels, maxImagePixels, dpi, minDpi, pageTimeout);
    }

    /** These limits with another render resolution (and lowest resolution). */
    public DocumentLimits withDpi(int renderDpi, int lowestDpi) {
        return new DocumentLimits(maxBytes, maxPages, maxPagePixels, maxImagePixels, renderDpi, lowestDpi, pageTimeout);
    }
}
