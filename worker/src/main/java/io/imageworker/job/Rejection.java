package io.imageworker.job;

/**
 * Why a job event cannot be served; it goes to the dead-letter topic with these in its headers.
 *
 * @param code stable reason (see {@code schemas/dead-letter.v1.schema.json})
 * @param reason for people
 * @param jobId the event's job id when it had a readable one, else null
 */
public record Rejection(String code, String reason, String jobId) {

    public static final String NOT_JSON = "not-json";
    public static final String INVALID_JOB = "invalid-job";
    public static final String UNKNOWN_MODEL = "unknown-model";
    public static final String TOO_LARGE = "too-large";
    public static final String NOT_ALLOWED = "not-allowed";
    public static final String TOO_MANY_INPUTS = "too-many-inputs";
    public static final String DUPLICATE_JOB = "duplicate-job";
    public static final String ATTEMPTS_EXHAUSTED = "attempts-exhausted";
    /** A job of a task (or, for annotate, of features) that neither this worker nor any pool it routes to serves. */
    public static final String NOT_SERVED = "not-served";
    /** A record on the notifications topic that is not a readable S3 event notification. */
    public static final String INVALID_NOTIFICATION = "invalid-notification";

    /**
     * The exception that carries a new rejection: {@code throw Rejection.exception(INVALID_JOB, "...", jobId)}.
     *
     * @param code one of the stable codes above
     * @param reason for people: what is wrong and, where it helps, how to fix it
     * @param jobId the job id when readable and safe to echo, else null
     */
    public static Exception exception(String code, String reason, String jobId) {
        return new Exception(new Rejection(code, reason, jobId));
    }

    /** Thrown where a stage finds a job it cannot serve. */
    public static final class Exception extends java.lang.Exception {
        private final Rejection rejection;

        /**
         * @param rejection what to dead-letter the event with; its {@code reason} is the
         *     exception's message
         */
        public Exception(Rejection rejection) {
            super(rejection.reason());
            this.rejection = rejection;
        }

        /** The rejection to dead-letter the job event with. */
        public Rejection rejection() {
            return rejection;
        }
    }
}
