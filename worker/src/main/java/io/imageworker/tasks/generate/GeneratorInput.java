package io.imageworker.tasks.generate;

/**
 * What a class-conditional generator takes for one image: a latent vector (see {@link Latents} for
 * vectors made from a seed) and the digit class to draw.
 *
 * @param latent the latent vector, as long as the model's {@code latent} option
 * @param label class id in {@code [0, classes)}
 */
public record GeneratorInput(float[] latent, int label) {}
