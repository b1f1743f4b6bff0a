/**
 * Segmentation recipes (FCN-8s, DeconvNet, DeepLab) on generated scenes of digits, their training
 * and evaluation (mIoU, per-class IoU, recall of small and of overlapping digits, size, throughput).
 */
package io.imageworker.training.segment;
