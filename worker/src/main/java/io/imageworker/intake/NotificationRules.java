package io.imageworker.intake;

import io.imageworker.job.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns S3 event notifications into jobs: each created object (an event of
 * {@link S3Notification#CREATIONS}, not a tag or retention change) that a rule covers becomes one job
 * of one input, with the rule's task, model, options, priority and output; everything else is a
 * {@link Skip} with a reason. The job is built as a job event and read by the same {@link JobParser}
 * as any other, so it meets the job schema like one a person wrote.
 *
 * <p>The job id is derived from the object's identity (bucket, key, version id, ETag, sequencer):
 * a notification delivered twice is the same job, which the pipeline serves once.
 */
public final class NotificationRules {

    /** Skip reasons, the {@code reason} tag of {@code image_worker_notifications_skipped_total}. */
    public static final String DELETION = "deletion";
    public static final String OTHER_EVENT = "other-event";
    public static final String NO_RULE = "no-rule";
    public static final String NOT_AN_IMAGE = "not-an-image";
    public static final String TOO_LARGE = "too-large";
    public static final String DUPLICATE = "duplicate";
    public static final String TEST_EVENT = "test-event";

    /** Names usable as map keys in properties and, upper-cased, in environment variables. */
    private static final String RULE_NAME = "[a-z0-9]{1,32}";

    /**
     * One rule, as configured ({@code image-worker.notifications.rules.<name>.*}).
     *
     * @param name the rule's name
     * @param bucket bucket it serves
     * @param prefix decoded key prefix it is limited to ("" for the whole bucket)
     * @param task task of its jobs
     * @param model model of its jobs, or null for the task's default
     * @param options task options as JSON object text, or null
     * @param output {@code s3://} prefix of its jobs' outputs ({@code <output><jobId>/}), or null for the default
     * @param priority priority of its jobs, 0-9
     */
    public record Rule(String name, String bucket, String prefix, String task, String model, String options,
            String output, int priority) {}

    /** What one notification record comes to: a {@link Job} or a {@link Skip}. */
    public sealed interface Outcome permits Job, Skip {
        /** The record it came from (null for S3's test event). */
        S3Notification.ObjectEvent event();
    }

    /**
     * A job to run.
     *
     * @param request the job, as parsed
     * @param rule the name of the rule that made it
     * @param value the job event's bytes (JSON, as a producer would send it): what a router forwards
     */
    public record Job(S3Notification.ObjectEvent event, JobRequest request, String rule, byte[] value) implements Outcome {}

    /**
     * A record that is no job.
     *
     * @param reason one of the skip reasons above
     * @param detail for people (logged at debug)
     */
    public record Skip(S3Notification.ObjectEvent event, String reason, String detail) implements Outcome {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Rule> rules;
    private final List<String> imageSuffixes;
    private final long maxObjectBytes;
    private final JobParser parser;
    private final EventSchemas schemas;
    private final int maxEventBytes;

    /**
     * Checks every rule by building a job from it for a sample object, so a rule that could never
     * make a valid job stops the worker at start instead of dead-lettering every upload.
     *
     * @param imageSuffixes key endings of images, compared ignoring case
     * @param maxObjectBytes largest object a job may fetch; larger ones are skipped before any fetch
     * @param inputBuckets buckets jobs may read; every rule's bucket must be one of them
     * @param schemas the contracts, the notification schema among them
     * @param maxEventBytes largest notification document read, in bytes
     * @throws IllegalArgumentException naming the rule and what is wrong with it
     */
    public NotificationRules(List<Rule> rules, List<String> imageSuffixes, long maxObjectBytes, Set<String> inputBuckets,
            EventSchemas schemas, int maxEventBytes) {
        this.schemas = schemas;
        this.maxEventBytes = maxEventBytes;
        this.parser = new JobParser(schemas, maxEventBytes);
        this.imageSuffixes = imageSuffixes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.maxObjectBytes = maxObjectBytes;
        Set<String> seen = new HashSet<>();
        for (Rule r : rules) {
            String where = "image-worker.notifications.rules." + r.name();
            if (!r.name().matches(RULE_NAME)) {
                throw new IllegalArgumentException(where + ": a rule name is 1-32 lower-case letters and digits (it is "
                        + "also part of an environment variable name)");
            }
            if (!inputBuckets.contains(r.bucket())) {
                throw new IllegalArgumentException(where + ".bucket: '" + r.bucket()
                        + "' is not one of image-worker.storage.input-buckets " + inputBuckets);
            }
            if (!seen.add(r.bucket() + "\n" + r.prefix())) {
                throw new IllegalArgumentException(where + ": another rule already serves bucket '" + r.bucket()
                        + "' prefix '" + r.prefix() + "'");
            }
            try {
                job(r, new S3Notification.ObjectEvent(0, "ObjectCreated:Put", null, r.bucket(), r.prefix() + "sample.png",
                        1, "0", null, null));
            } catch (Rejection.Exception e) {
                throw new IllegalArgumentException(where + " cannot make a valid job: " + e.getMessage(), e);
            }
        }
        // Longest prefix first: the most specific rule of a bucket wins.
        this.rules = rules.stream().sorted(Comparator.comparingInt((Rule r) -> r.prefix().length()).reversed()).toList();
    }

    /**
     * Reads a notification record's value, in any envelope {@link S3Notification} reads, and routes
     * each of its records, in order. A record whose job another record of the same document already
     * makes is a {@code duplicate} skip; a set-up message (S3's test event, SNS's subscription
     * confirmation) is one {@code test-event} skip (with no event).
     *
     * @throws Rejection.Exception when the document is malformed, or any of its records makes no valid
     *     job: nothing of it runs, and it is dead-lettered whole
     */
    public List<Outcome> read(byte[] value) throws Rejection.Exception {
        S3Notification.Document doc = S3Notification.read(value, schemas, maxEventBytes);
        if (doc.testEvent()) {
            return List.of(new Skip(null, TEST_EVENT, doc.setup()));
        }
        List<Outcome> out = new ArrayList<>();
        Set<String> jobs = new HashSet<>();
        for (S3Notification.ObjectEvent e : doc.records()) {
            Outcome o = route(e);
            if (o instanceof Job j && !jobs.add(j.request().jobId())) {
                o = new Skip(e, DUPLICATE, where(e) + " twice in one notification");
            }
            out.add(o);
        }
        return out;
    }

    /**
     * What {@code e} comes to.
     *
     * @throws Rejection.Exception when the job made for it is not a valid job (a key too long for a job's input)
     */
    public Outcome route(S3Notification.ObjectEvent e) throws Rejection.Exception {
        if (e.removed()) {
            return new Skip(e, DELETION, e.eventName() + " of " + where(e));
        }
        if (!e.created()) {
            return new Skip(e, OTHER_EVENT, e.eventName() + " of " + where(e) + " makes no new object (jobs are made of "
                    + String.join(", ", new java.util.TreeSet<>(S3Notification.CREATIONS)) + ")");
        }
        Rule rule = rules.stream().filter(r -> r.bucket().equals(e.bucket()) && e.key().startsWith(r.prefix()))
                .findFirst().orElse(null);
        if (rule == null) {
            return new Skip(e, NO_RULE, "no rule serves " + where(e));
        }
        String lower = e.key().toLowerCase(Locale.ROOT);
        if (e.size() == 0 || imageSuffixes.stream().noneMatch(lower::endsWith)) {
            return new Skip(e, NOT_AN_IMAGE, where(e) + " (" + e.size() + " bytes) is not an image by its name "
                    + imageSuffixes);
        }
        if (e.size() > maxObjectBytes) {
            return new Skip(e, TOO_LARGE, where(e) + " is " + e.size() + " bytes, more than the limit of "
                    + maxObjectBytes);
        }
        return job(rule, e);
    }

    /** The job {@code rule} makes of {@code e}, parsed as any job event is. */
    private Job job(Rule rule, S3Notification.ObjectEvent e) throws Rejection.Exception {
        byte[] value = build(rule, e);
        try {
            return new Job(e, parser.parse(value), rule.name(), value);
        } catch (Rejection.Exception x) {
            throw Rejection.exception(Rejection.INVALID_NOTIFICATION, "Records[" + e.index() + "] (" + where(e)
                    + ") makes no valid job with rule '" + rule.name() + "': " + x.getMessage(), null);
        }
    }

    /** The job event {@code rule} makes of {@code e}, as bytes (checked by parsing it: see {@link #job}). */
    private byte[] build(Rule rule, S3Notification.ObjectEvent e) throws Rejection.Exception {
        String jobId = jobId(e);
        ObjectNode job = JSON.createObjectNode().put("jobId", jobId).put("task", rule.task());
        job.putArray("inputs").addObject().put("uri", "s3://" + e.bucket() + "/" + e.key()).put("id", e.key());
        if (rule.model() != null) {
            job.put("model", rule.model());
        }
        if (rule.options() != null) {
            JsonNode options;
            try {
                options = JSON.readTree(rule.options());
            } catch (java.io.IOException x) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options are not JSON: " + x.getMessage(), jobId);
            }
            job.set("options", options);
        }
        if (rule.output() != null) {
            String base = rule.output().endsWith("/") ? rule.output() : rule.output() + "/";
            job.putObject("output").put("uri", base + jobId + "/");
        }
        if (rule.priority() != 0) {
            job.put("priority", rule.priority());
        }
        ObjectNode metadata = job.putObject("metadata").put("notification.rule", rule.name())
                .put("s3.eventName", e.eventName()).put("s3.bucket", e.bucket()).put("s3.key", e.key());
        putIf(metadata, "s3.eventTime", e.eventTime());
        putIf(metadata, "s3.eTag", e.eTag());
        putIf(metadata, "s3.versionId", e.versionId());
        putIf(metadata, "s3.sequencer", e.sequencer());
        try {
            return JSON.writeValueAsBytes(job);
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value.length() <= 1024 ? value : value.substring(0, 1024));
        }
    }

    /**
     * The job id of an object version: {@code s3-} and 40 hex digits of the SHA-256 of bucket, key,
     * version id, ETag and sequencer. Every redelivery of one notification gives the same id; a new
     * upload to the same key (a new ETag, version or sequencer) a new one.
     */
    public static String jobId(S3Notification.ObjectEvent e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {e.bucket(), e.key(), e.versionId(), e.eTag(), e.sequencer()}) {
                sha.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return "s3-" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }

    private static String where(S3Notification.ObjectEvent e) {
        String key = e.key().length() <= 200 ? e.key() : e.key().substring(0, 200) + "...";
        return "s3://" + e.bucket() + "/" + key;
    }

    /** The rules, most specific first. */
    public List<Rule> rules() {
        return new ArrayList<>(rules);
    }
}
