/**
 * The text task's evaluation: the detector and its companions on the rendered and real pages the
 * application carries, beside Tesseract on the same images when it is installed.
 */
package io.imageworker.training.text;
