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

    /** Model reference ({@code name} or pinned {@code name:version}) to the version id serving it. */
    java.util.Map<String, String> servingModels();

    /** Version ids replaced by newer ones and still finishing the jobs that hold them. */
    java.util.List<String> drainingModels();
}
