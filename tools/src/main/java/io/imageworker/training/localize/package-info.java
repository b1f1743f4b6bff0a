/**
 * The CAM recipe on generated canvases of several digits, its training, threshold choice and localization evaluation.
 */
package io.imageworker.training.localize;
