/**
 * Task {@code localize}: class activation maps (heatmaps, overlays) and the boxes read from them,
 * with its handler, translator and the CAM post-processing. Stage: tasks.
 */
package io.imageworker.tasks.localize;
