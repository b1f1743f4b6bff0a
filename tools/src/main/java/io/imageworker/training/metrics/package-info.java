/**
 * Evaluation metrics for the real-photo tasks, as pure functions over labels and predictions (no
 * engine, no model): character error rate and word accuracy for recognised text
 * ({@link io.imageworker.training.metrics.TextAccuracy}), region overlap
 * ({@link io.imageworker.training.metrics.Region}), and detection scoring with the PASCAL VOC rules:
 * matching at an IoU threshold, precision, recall, average precision and false positives per
 * negative image ({@link io.imageworker.training.metrics.DetectionEvaluation}). Also the readers of
 * the evaluation sets carried under {@code /datasets/text/} and {@code /datasets/faces/}
 * ({@link io.imageworker.training.metrics.TextSet}, {@link io.imageworker.training.metrics.FaceSet}).
 * The same code scores the project's models and the peers users would pick instead
 * ({@code io.imageworker.training.peers}), so both are measured by one definition.
 */
package io.imageworker.training.metrics;
