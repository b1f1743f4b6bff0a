/**
 * The dynamic batcher: one bounded priority queue and one inference thread per model, batches
 * gathered across jobs up to a size or a delay, a failed batch retried item by item. Imports the
 * JDK only (the runner it calls is DJL's, behind an interface).
 */
package io.imageworker.batching;
