package io.imageworker.imaging;

import io.imageworker.events.ItemError;

/**
 * An input is not an image the worker can use. {@link #code()} goes into the item's error:
 * {@code not-an-image}, {@code unsupported-format}, {@code too-many-pixels}, {@code corrupt-image}.
 */
public class ImageException extends Exception implements ItemError.Coded {

    private final String code;

    public ImageException(String code, String message) {
        super(message);
        this.code = code;
    }

    public ImageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
