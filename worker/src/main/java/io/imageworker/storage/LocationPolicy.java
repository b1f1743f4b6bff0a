package io.imageworker.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where jobs may read and write. The worker never follows any URL but {@code s3://} ones, reads only
 * from the allowed input buckets and writes only under the allowed output prefixes.
 */
public final class LocationPolicy {

    private final Set<String> inputBuckets;
    private final S3Location defaultOutput;
    private final List<S3Location> outputPrefixes;

    /**
     * @param inputBuckets bucket names jobs may read inputs from
     * @param defaultOutputUri {@code s3://} prefix of jobs that name no output
     *     ({@code <prefix><jobId>/}); always an allowed output prefix; a trailing '/' is added when
     *     missing
     * @param allowedOutputPrefixes further {@code s3://} prefixes a job may name as its output
     * @throws IllegalArgumentException when a URI is not a valid {@code s3://} URI
     */
    public LocationPolicy(List<String> inputBuckets, String defaultOutputUri, List<String> allowedOutputPrefixes) {
        this.inputBuckets = Set.copyOf(inputBuckets);
        this.defaultOutput = prefix(defaultOutputUri);
        List<S3Location> prefixes = new ArrayList<>();
        prefixes.add(defaultOutput);
        allowedOutputPrefixes.forEach(p -> prefixes.add(prefix(p)));
        this.outputPrefixes = List.copyOf(prefixes);
    }

    /**
     * The input at {@code uri}, if jobs may read it.
     *
     * @throws IllegalArgumentException naming the reason (scheme, bucket)
     */
    public S3Location input(String uri) {
        S3Location loc = S3Location.parse(uri);
        if (!inputBuckets.contains(loc.bucket())) {
            throw new IllegalArgumentException(
                    "bucket '" + loc.bucket() + "' is not an allowed input bucket (allowed: " + inputBuckets + ")");
        }
        checkKey(loc.key(), uri);
        return loc;
    }

    /**
     * The output prefix a job names, or the default one for {@code jobId}.
     *
     * @throws IllegalArgumentException when it lies outside the allowed output prefixes
     */
    public S3Location output(String uri, String jobId) {
        if (uri == null) {
            return defaultOutput.resolve(jobId + "/");
        }
        S3Location loc = S3Location.parse(uri);
        checkKey(loc.key(), uri);
        if (!loc.isPrefix()) {
            loc = new S3Location(loc.bucket(), loc.key() + "/");
        }
        for (S3Location allowed : outputPrefixes) {
            if (allowed.bucket().equals(loc.bucket()) && loc.key().startsWith(allowed.key())) {
                return loc;
            }
        }
        throw new IllegalArgumentException("output " + S3Location.abbreviate(uri)
                + " is outside the allowed output locations " + outputPrefixes);
    }

    /** Buckets inputs may come from. */
    public Set<String> inputBuckets() {
        return inputBuckets;
    }

    /** Keys are opaque to S3, but '..' segments and control characters only ever serve to confuse. */
    private static void checkKey(String key, String uri) {
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("'.' and '..' segments are not allowed in " + S3Location.abbreviate(uri));
            }
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("control characters are not allowed in " + S3Location.abbreviate(uri));
        }
    }

    private static S3Location prefix(String uri) {
        S3Location loc = S3Location.parse(uri);
        return loc.isPrefix() ? loc : new S3Location(loc.bucket(), loc.key() + "/");
    }
}
