package io.imageworker.events;

/**
 * Why an item or job failed.
 *
 * @param code stable machine-readable reason
 * @param message for people
 */
public record ItemError(String code, String message) {

    /**
     * A failure that knows its item error: storage ({@code not-found}, {@code too-large} ...), imaging
     * ({@code not-an-image}, {@code corrupt-image} ...) and a task's own. The pipeline turns any of
     * them into the item's error without knowing which stage threw it.
     */
    public interface Coded {

        /** The stable reason code. */
        String code();

        /** For people. */
        String getMessage();

        /** This failure as an item error. */
        default ItemError toItemError() {
            return new ItemError(code(), getMessage());
        }
    }
}
