package io.imageworker.storage;

import io.imageworker.events.ItemError;

/**
 * An object could not be read or written. {@link #code()} is the stable, machine-readable reason
 * that goes into an item's error ({@code not-found}, {@code too-large}, {@code unavailable} ...).
 */
public class StorageException extends Exception implements ItemError.Coded {

    private final String code;

    /**
     * @param code the stable reason for the item's error ({@code not-found}, {@code too-large},
     *     {@code unavailable} ...)
     * @param message what failed and where, for people
     */
    public StorageException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** As {@link #StorageException(String, String)}, with the SDK or I/O exception as the cause. */
    public StorageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
