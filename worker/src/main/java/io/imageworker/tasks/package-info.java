/**
 * The task plugin contract ({@link io.imageworker.tasks.TaskHandler}) and what every task shares:
 * the item's work ({@code ItemWork}), the planned job ({@code JobPlan}), result building
 * ({@code Items}), the image translator base and a task's coded item failure. One sub-package per
 * task; the pipeline discovers them as CDI beans. Imports inference, models, imaging, events and
 * the edges (artifacts, planning, intake's rejection); never the pipeline.
 */
package io.imageworker.tasks;
