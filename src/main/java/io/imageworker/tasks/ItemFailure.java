package io.imageworker.tasks;

/** A task's own reason for failing one item, with a stable code. */
public class ItemFailure extends RuntimeException {

    private final String code;

    public ItemFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
