/**
 * The task plugin contract ({@link io.imageworker.tasks.TaskHandler}) and what every task shares:
 * the item's work ({@code ItemWork}), the planned job ({@code JobPlan}), result building
 * ({@code Items}) and the image translator base. The plan names its handler, so the plan and the
 * item's work live here beside the contract; what tasks share with intake and planning (rejection,
 * planned input, item failure) is in {@code job}. One sub-package per task; the pipeline discovers
 * them as CDI beans. Imports job, artifacts, storage, inference, models, imaging and events; never
 * intake, planning or the pipeline.
 */
package io.imageworker.tasks;
