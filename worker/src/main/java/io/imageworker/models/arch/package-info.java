/**
 * The project's network architectures as DJL blocks (MNIST classifiers, segmentation nets, CAM,
 * DCGAN), built by name from a model card.
 */
package io.imageworker.models.arch;
