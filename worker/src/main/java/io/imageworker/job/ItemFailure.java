package io.imageworker.job;

import io.imageworker.events.ItemError;

/** A task's own reason for failing one item, with a stable code. */
public class ItemFailure extends RuntimeException implements ItemError.Coded {

    private final String code;

    /**
     * @param code stable, machine-readable reason, reported as the item error's code
     * @param message human-readable detail for the item's error
     */
    public ItemFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
