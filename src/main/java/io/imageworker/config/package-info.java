/**
 * The worker's one typed configuration tree ({@code @ConfigMapping(prefix = "image-worker")}), each
 * property with its default and Javadoc; the README's reference table is checked against it.
 */
package io.imageworker.config;
