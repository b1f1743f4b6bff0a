package io.imageworker.storage;

/**
 * A bucket and key, written {@code s3://bucket/key}. The key is taken verbatim, as the AWS CLI
 * does: spaces and unicode are part of the key and {@code %20} is three characters, not a space.
 *
 * @param bucket bucket name
 * @param key object key, or a prefix ending in {@code /} ("" for the whole bucket)
 */
public record S3Location(String bucket, String key) {

    private static final String SCHEME = "s3://";

    /**
     * Parses an {@code s3://} URI.
     *
     * @throws IllegalArgumentException for any other scheme (http, file ...) or a malformed bucket
     */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not an s3:// URI: " + abbreviate(uri));
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("not a valid bucket name in " + abbreviate(uri));
        }
        return new S3Location(bucket, key);
    }

    /** This location with {@code name} appended to its key, for a prefix. */
    public S3Location resolve(String name) {
        return new S3Location(bucket, key + name);
    }

    /** True when {@code key} names a prefix (empty or ending with '/'). */
    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    /** The last segment of the key (a file name). */
    public String fileName() {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return k.substring(k.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
