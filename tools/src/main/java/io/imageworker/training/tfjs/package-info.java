/**
 * The TF.js importer: Keras layers models ({@link io.imageworker.training.tfjs.KerasGraph}) and graph models
 * ({@link io.imageworker.training.tfjs.GraphConverter} turns a model.json's GraphDef and weights into the
 * nodes of a {@link io.imageworker.models.graph.TfGraph}; {@link io.imageworker.training.tfjs.GraphModelImporter}
 * writes them as a model folder), both behind {@link io.imageworker.training.tfjs.TfjsImporter}.
 */
package io.imageworker.training.tfjs;
