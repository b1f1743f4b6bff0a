/**
 * The {@code safe-search} task: Cloud Vision's adult and racy likelihoods of each image from an
 * NSFW classifier's five class probabilities (nsfwjs's MobileNetV2, imported from TF.js).
 */
package io.imageworker.tasks.safesearch;
