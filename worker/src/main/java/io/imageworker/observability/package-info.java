/**
 * Metrics (Micrometer, Prometheus), trace context through jobs (OpenTelemetry) and the readiness
 * check. Implements the observer interfaces batching and inference declare; read by the pipeline.
 */
package io.imageworker.observability;
