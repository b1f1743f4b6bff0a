/**
 * The contracts: records of the events the worker reads and writes (job, result, item, error) and
 * the JSON Schemas in {@code schemas/} that validate them. The lowest layer: imports nothing of the
 * project.
 */
package io.imageworker.events;
