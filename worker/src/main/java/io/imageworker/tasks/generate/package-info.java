/**
 * Task {@code generate}: DCGAN samples from seeded latents (images, a grid, latent walks), its
 * handler, translator and latent sampling. Stage: tasks.
 */
package io.imageworker.tasks.generate;
