/**
 * The worker's one typed configuration tree ({@code @ConfigMapping(prefix = "image-worker")}): the root
 * {@code WorkerConfig} and one file per settings group ({@code LimitsConfig} is {@code image-worker.limits.*}),
 * each property with its default and Javadoc; the reference table in docs/configuration.md is checked against it.
 */
package io.imageworker.config;
