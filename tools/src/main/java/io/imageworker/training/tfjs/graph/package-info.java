/**
 * The TF.js graph-model importer: {@link io.imageworker.training.tfjs.graph.GraphConverter} turns a
 * model.json's GraphDef and weights into the nodes of a {@link io.imageworker.models.graph.TfGraph};
 * {@link io.imageworker.training.tfjs.graph.GraphModelImporter} writes them as a model folder.
 */
package io.imageworker.training.tfjs.graph;
