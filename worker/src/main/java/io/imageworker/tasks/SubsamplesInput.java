package io.imageworker.tasks;

/**
 * Role of a task that uses only part of a large input's pixels: inputs are decoded subsampled by a
 * whole factor that keeps at least {@link #inputSide} (see {@link ItemWork#subsampling()}), saving the
 * memory and time of pixels the model never sees. A task without it decodes every pixel.
 */
public interface SubsamplesInput extends TaskHandler {

    /** The longest side, in pixels, this task uses of an input of {@code plan}'s job; 0: every pixel. */
    int inputSide(JobPlan plan);

    /** The side {@code plan}'s task uses of an input: its {@link #inputSide}, or 0 (every pixel) for a task without this role. */
    static int of(JobPlan plan) {
        return plan.handler() instanceof SubsamplesInput s ? s.inputSide(plan) : 0;
    }
}
