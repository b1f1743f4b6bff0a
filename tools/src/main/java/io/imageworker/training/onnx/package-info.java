/**
 * The ONNX form of the project's own networks: {@link io.imageworker.training.onnx.OnnxExport}
 * writes a {@code djl-block} model's block tree and trained parameters as an ONNX model (opset 13)
 * through a small protocol-buffers writer of the few ONNX messages it needs, so that ONNX Runtime
 * (and its GPU build) can serve what MXNet serves. Training and import write it beside the MXNet
 * model; the tests hold the two engines to the same outputs.
 */
package io.imageworker.training.onnx;
