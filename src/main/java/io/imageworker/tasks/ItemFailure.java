package io.imageworker.tasks;

import io.imageworker.events.ItemError;

/** A task's own reason for failing one item, with a stable code. */
public class ItemFailure extends RuntimeException implements ItemError.Coded {

    private final String code;

    public ItemFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
