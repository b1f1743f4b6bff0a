package io.imageworker.models;

import java.io.IOException;

/** A job or command named a model the repository does not have. */
public class UnknownModelException extends IOException {
    /** @param message the reference that was not found, and what the repository has instead */
    public UnknownModelException(String message) {
        super(message);
    }
}
