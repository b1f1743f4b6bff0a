package io.imageworker.intake;

import java.util.concurrent.CompletionStage;

/**
 * What the job consumer hands each record to (the pipeline's {@code JobService}): it serves the
 * record and says when there is room for more.
 */
public interface JobHandler {

    /** Serves one job event; the stage completes once its terminal event is acknowledged. */
    CompletionStage<Void> handle(JobEnvelope record, int delivery);

    /**
     * Dead-letters a record that is not tried again (it took a worker down, or its handling kept
     * failing), with {@code reason}; completes when acknowledged.
     */
    CompletionStage<Void> exhausted(JobEnvelope record, String reason);

    /** False while the pipeline has no room for another job's items. */
    boolean hasCapacity();
}
