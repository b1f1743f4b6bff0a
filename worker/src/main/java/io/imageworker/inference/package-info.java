/**
 * Model serving: {@code ModelServer} loads models on first use and keeps one {@code ServedModel}
 * (weights, dynamic batcher, inference thread) per model version and device; the device choice.
 * Names no task: tasks give their translators through {@code ModelServer.Translation}. Imports DJL,
 * batching and models.
 */
package io.imageworker.inference;
