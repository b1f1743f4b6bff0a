/**
 * Networks imported from TensorFlow graphs (TF.js graph models): {@link io.imageworker.models.graph.TfGraph},
 * a DJL block that runs a list of TensorFlow ops on the engine-neutral NDArray API, and
 * {@link io.imageworker.models.graph.TfOps}, the ops themselves with TensorFlow's semantics.
 */
package io.imageworker.models.graph;
