/**
 * Intake, the first stage of a job's path: the Kafka consumer of {@code image-jobs} (backpressure,
 * commits only after a terminal event, crash ledger, bounded retries and dead-letter decisions) and
 * the strict job parser. It turns a record into a {@link io.imageworker.intake.JobEnvelope}, so no
 * later stage sees a Kafka type. Imports Kafka's client, {@code job} (a refused job's
 * {@code Rejection}) and {@code events}; nothing above it.
 */
package io.imageworker.intake;
