package io.imageworker.events;

/**
 * Why an item or job failed.
 *
 * @param code stable machine-readable reason
 * @param message for people
 */
public record ItemError(String code, String message) {}
