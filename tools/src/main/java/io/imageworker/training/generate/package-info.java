/**
 * The DCGAN recipe, its two-optimizer training loop and the generation metrics (classifier probe, Frechet distance, inception score).
 */
package io.imageworker.training.generate;
