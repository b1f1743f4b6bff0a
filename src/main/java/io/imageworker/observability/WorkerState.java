package io.imageworker.observability;

/**
 * What the health checks read of the running worker. The worker implements it, so observability
 * depends on this interface and not on the pipeline that sits above it.
 */
public interface WorkerState {

    /** True once the default models are loaded and jobs are being consumed. */
    boolean ready();

    /** Images admitted and not yet finished, across all jobs. */
    int itemsInFlight();
}
