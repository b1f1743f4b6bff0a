package io.imageworker.config;

import java.util.List;
import java.util.Map;

/**
 * Routing by task: a worker that consumes the shared jobs topic forwards a job to the pool that
 * serves its task (the record as it came: key, value, headers, with the routing in two more
 * headers), in the same transaction as its offset in exactly-once mode. A job another worker
 * routed already is never routed again.
 */
public interface RoutingConfig {
    /**
     * The other pools by name (lower-case letters and digits, so that each has an environment
     * variable name): their jobs topic and the tasks they serve. Empty: nothing is routed; a job
     * of a task this worker does not serve is dead-lettered ({@code not-served}).
     */
    Map<String, Pool> pools();

    /** One pool of workers that serves some tasks from its own jobs topic. */
    interface Pool {
        /** The pool's jobs topic, which its workers consume; never this worker's own jobs topic. */
        String topic();

        /**
         * The tasks the pool serves ({@code text,faces}); a job goes to the first pool (by name)
         * that serves its task, an {@code annotate} job to one that serves {@code annotate} and
         * the task of every feature it asks for.
         */
        List<String> tasks();
    }
}
