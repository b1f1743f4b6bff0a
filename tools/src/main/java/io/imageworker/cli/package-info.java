/**
 * The commands ({@code serve}, {@code submit}, {@code train}, {@code evaluate}): a tool layer that
 * may use every package; {@code submit} is a Kafka client of its own.
 */
package io.imageworker.cli;
