package io.imageworker.imaging;

import io.imageworker.events.ItemError;

/**
 * An input is not an image the worker can use. {@link #code()} goes into the item's error:
 * {@code not-an-image}, {@code unsupported-format}, {@code too-many-pixels}, {@code corrupt-image}.
 */
public class ImageException extends Exception implements ItemError.Coded {

    private final String code;

    /**
     * @param code the item error's code: {@code not-an-image}, {@code unsupported-format},
     *     {@code too-many-pixels} or {@code corrupt-image}
     * @param message what is wrong with the input, for people
     */
    public ImageException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** As {@link #ImageException(String, String)}, with the decoder's exception as the cause. */
    public ImageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
