package io.imageworker.pipeline;

import java.util.Map;
import java.util.Set;

/**
 * Fault injection for the intake tests: when enabled ({@code image-worker.faults.intake}), a job
 * event whose header {@value #HEADER} names a step (comma-separated for several) makes the worker
 * throw at that step, as a bug there would. Off by default; a worker with it off ignores the header.
 */
final class IntakeFaults {

    /** The header that names the steps to fail. */
    static final String HEADER = "x-image-worker-fault";
    /** After the record's headers are read. */
    static final String HEADERS = "headers";
    /** Where the event is parsed. */
    static final String PARSE = "parse";
    /** Where the job's trace span starts. */
    static final String TRACE = "trace";
    /** Where the job is accepted (the duplicate check). */
    static final String ACCEPT = "accept";
    /** Where the job is planned, on the I/O pool: the handler's future fails. */
    static final String PLAN = "plan";
    /** Just before the result event is published: the handler's future fails. */
    static final String PUBLISH = "publish";
    /** Where the record is dead-lettered after its attempts ran out. */
    static final String DEAD_LETTER = "dead-letter";

    static final Set<String> STEPS = Set.of(HEADERS, PARSE, TRACE, ACCEPT, PLAN, PUBLISH, DEAD_LETTER);

    private final boolean enabled;

    IntakeFaults(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Throws an {@link IllegalStateException} when enabled and {@code headers} name {@code step}.
     *
     * @param step one of {@link #STEPS}
     * @param headers the job record's headers, as read by {@code RecordHeaders.utf8}
     */
    void at(String step, Map<String, String> headers) {
        if (!enabled) {
            return;
        }
        String named = headers.get(HEADER);
        if (named != null && Set.of(named.split(",")).contains(step)) {
            throw new IllegalStateException("fault injected at intake step '" + step + "'");
        }
    }
}
