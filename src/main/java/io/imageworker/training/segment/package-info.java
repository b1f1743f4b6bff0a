/**
 * Segmentation recipes (FCN, DeepLab) on generated scenes of digits, their training and mIoU evaluation.
 */
package io.imageworker.training.segment;
