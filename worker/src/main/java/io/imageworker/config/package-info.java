/**
 * The worker's one typed configuration tree ({@code @ConfigMapping(prefix = "image-worker")}), each
 * property with its default and Javadoc; the reference table in docs/configuration.md is checked against it.
 */
package io.imageworker.config;
