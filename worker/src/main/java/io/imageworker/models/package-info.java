/**
 * The model repository (classpath, folders, {@code s3://} prefixes through a source interface),
 * model cards ({@code model.json}) and loading with DJL; {@code arch} builds the project's networks.
 * Imports DJL, events; nothing above it.
 */
package io.imageworker.models;
