/**
 * Planning, below the pipeline and above the tasks: where a job is served ({@code TaskRoutes}: here,
 * another pool, nowhere) and what it becomes before it runs ({@code JobPlanner}: its task, models,
 * compared models, annotate features, and its inputs, listed or expanded from a prefix by
 * {@code InputPlanner} and checked against the allow-lists). Imports tasks, the job contract
 * ({@code job}), inference, models, storage and events; reads the served tasks through
 * {@code TaskCatalog}, never the pipeline.
 */
package io.imageworker.planning;
