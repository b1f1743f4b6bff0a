package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Documents (PDF, multi-page TIFF, animated GIF) read as inputs, one item per page: the limits
 * checked before a page is rendered (see docs/tasks/documents.md). The defaults are
 * {@code documents.DocumentLimits.defaults()}, which {@code DocumentsConfigTest} holds them to.
 */
public interface DocumentsConfig {
    /** Largest document, in bytes (50 MiB); a larger one fails with {@code document-too-large}. */
    @WithDefault("52428800")
    long maxBytes();

    /** Most pages of a document (Cloud Vision's limit); more fail it with {@code too-many-pages}. */
    @WithDefault("2000")
    int maxPages();

    /** Most pixels of one rendered page; a PDF page is rendered at the resolution that fits. */
    @WithDefault("40000000")
    long maxPagePixels();

    /** Most pixels an image drawn inside a PDF page may declare. */
    @WithDefault("100000000")
    long maxImagePixels();

    /** The resolution PDF pages are rendered at, in dots per inch. */
    @WithDefault("300")
    int dpi();

    /** The lowest resolution a large PDF page may be rendered at before it fails with {@code page-too-large}. */
    @WithDefault("72")
    int minDpi();

    /** Time budget of one page's rendering; a page over it fails with {@code page-timeout}. */
    @WithDefault("30s")
    Duration pageTimeout();
}
