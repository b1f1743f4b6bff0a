package io.imageworker.documents;

import io.imageworker.events.ItemError;

/**
 * A document, or one page of it, cannot be used. {@link #code()} is the item error's code:
 * <ul>
 *   <li>for the whole document: {@code not-a-document} (neither PDF, TIFF nor GIF), {@code document-too-large}
 *       (more bytes than the limit), {@code too-many-pages}, {@code encrypted-document} (a PDF that needs a
 *       password to open), {@code corrupt-document} (damaged beyond opening), {@code bad-pages} (a
 *       {@code pages} list naming pages the document does not have);</li>
 *   <li>for one page: {@code page-too-large} (its pixels at the render resolution are over the limit even
 *       at the lowest resolution allowed), {@code too-many-pixels} (a TIFF/GIF frame or an image inside a
 *       PDF page over the pixel limit), {@code page-timeout} (rendering ran past the page's time budget),
 *       {@code corrupt-page} (the page's data is damaged).</li>
 * </ul>
 */
public class DocumentException extends Exception implements ItemError.Coded {

    private final String code;

    /**
     * @param code the item error's code (listed in the class comment)
     * @param message what is wrong, for people
     */
    public DocumentException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** As {@link #DocumentException(String, String)}, with the library's exception as the cause. */
    public DocumentException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
