/**
 * The faces task's evaluation: a detector on the labelled real photos the application carries,
 * scored as its peer (OpenCV's Haar cascade) is.
 */
package io.imageworker.training.faces;
