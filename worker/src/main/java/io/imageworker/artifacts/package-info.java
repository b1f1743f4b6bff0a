/**
 * Artifacts: files a job writes under its output prefix (PNG masks, heatmaps, overlays, samples)
 * and {@code report.html}, the offline contact sheet. Beside the pipeline; imports storage and imaging.
 */
package io.imageworker.artifacts;
