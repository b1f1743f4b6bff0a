package io.imageworker.storage;

/**
 * An object could not be read or written. {@link #code()} is the stable, machine-readable reason
 * that goes into an item's error ({@code not-found}, {@code too-large}, {@code unavailable} ...).
 */
public class StorageException extends Exception {

    private final String code;

    public StorageException(String code, String message) {
        super(message);
        this.code = code;
    }

    public StorageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
