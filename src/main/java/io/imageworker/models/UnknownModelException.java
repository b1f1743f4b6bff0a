package io.imageworker.models;

import java.io.IOException;

/** A job or command named a model the repository does not have. */
public class UnknownModelException extends IOException {
    public UnknownModelException(String message) {
        super(message);
    }
}
