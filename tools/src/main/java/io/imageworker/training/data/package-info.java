/**
 * MNIST idx files and the digit painter the generated scenes and canvases are made with.
 */
package io.imageworker.training.data;
