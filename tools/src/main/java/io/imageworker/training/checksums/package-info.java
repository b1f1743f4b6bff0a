/**
 * SHA-256 checksums of model files, for provenance: a leaf that training, import and the ONNX export
 * share.
 */
package io.imageworker.training.checksums;
