/**
 * Out-of-distribution detection for the served models: statistics of the preprocessed input, a
 * Mahalanobis distance on the classifier's penultimate features (Lee et al. 2018) read through a tap
 * on the network, and the detector whose cuts a model card carries. Task-neutral: classify, segment
 * and localize each apply it through {@code tasks.Abstention}. Imports DJL and the JDK.
 */
package io.imageworker.inference.ood;
