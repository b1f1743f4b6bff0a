package io.imageworker.tasks;

/**
 * Marker role of a task that writes no files of its own under a job's output prefix (no per-item
 * images, no job-level files): its small jobs write only result.json, which they create with a
 * conditional PUT rather than a HEAD before the work. A task without it may write files.
 */
public interface WritesNoArtifacts extends TaskHandler {
}
