/**
 * The application entry point (picocli commands under {@code cli}). Tools layer: may use every package.
 */
package io.imageworker;
