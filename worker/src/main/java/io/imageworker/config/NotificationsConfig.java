package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * S3 event notifications (the {@code {"Records":[...]}} documents AWS S3 writes and MinIO's Kafka
 * target publishes) read from a topic and turned into jobs by rules per bucket and key prefix.
 */
public interface NotificationsConfig {
    /** Topic of the notification records; unset: notifications are not read. */
    Optional<String> topic();

    /**
     * Key endings (compared ignoring case) of the objects that are images; a created object whose
     * key ends otherwise is skipped ({@code not-an-image}).
     */
    @WithDefault(".jpg,.jpeg,.png,.gif,.bmp,.webp,.tif,.tiff")
    List<String> imageSuffixes();

    /**
     * Rules by name (letters and digits, so that each also has an environment variable name):
     * which objects become jobs, and what job. An object matches the rule of its bucket with the
     * longest prefix of its key; an object no rule matches is skipped ({@code no-rule}).
     */
    Map<String, Rule> rules();

    /** One bucket (and key prefix) whose new objects become jobs, and the job they become. */
    interface Rule {
        /** Bucket whose notifications this rule serves; must be one of the input buckets. */
        String bucket();

        /** Key prefix (decoded, as the object's key reads) the rule is limited to; unset: the whole bucket. */
        Optional<String> prefix();

        /** Task of the jobs. */
        String task();

        /** Model of the jobs ({@code name} or {@code name:version}); unset: the task's default. */
        Optional<String> model();

        /** Task options of the jobs, as a JSON object ({@code {"topK":3}}); unset: the task's defaults. */
        Optional<String> options();

        /**
         * {@code s3://} prefix under which each job's artifacts go, as {@code <output><jobId>/}; it
         * must lie under an allowed output prefix. Unset: the default output location.
         */
        Optional<String> output();

        /** Priority of the jobs, 0-9 (higher first when the batch queues are busy). */
        @WithDefault("0")
        int priority();
    }
}
