/**
 * Evaluation of {@code safe-search} models: parity of an imported model with the TF.js original's
 * recorded probabilities, and the likelihoods it gives neutral images.
 */
package io.imageworker.training.safesearch;
