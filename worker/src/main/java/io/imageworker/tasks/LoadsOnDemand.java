package io.imageworker.tasks;

/**
 * Role (a marker) of a task whose default model is left out of the default preload set: with
 * {@code image-worker.models.preload} unset, every served task with a default model is loaded and
 * warmed before the worker reports ready, except these, which load on their first job. Naming the
 * task in {@code image-worker.models.preload} preloads it as any other. For models whose memory the
 * pod's budget was not measured with (objects: NanoDet, docs/tasks/objects.md).
 */
public interface LoadsOnDemand extends TaskHandler {}
