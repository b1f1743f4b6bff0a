/**
 * The MNIST classifier ladder: recipes, training and evaluation.
 */
package io.imageworker.training.classify;
