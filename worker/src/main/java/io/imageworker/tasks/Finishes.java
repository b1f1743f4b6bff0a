package io.imageworker.tasks;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Role of a task that makes job-level artifacts once every item is done (generate's grid, annotate's
 * Cloud Vision output files); a task without it makes none.
 */
public interface Finishes extends TaskHandler {

    /**
     * Job-level artifacts of {@code plan}, by name to URI, written with {@code artifacts} from the
     * job's {@code items}. Runs on a worker thread.
     */
    CompletableFuture<Map<String, String>> finish(JobPlan plan, List<ItemResult> items, ArtifactWriter artifacts);
}
