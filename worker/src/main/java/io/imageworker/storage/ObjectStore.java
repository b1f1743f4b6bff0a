package io.imageworker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The worker's only door to object storage: bounded reads, whole-object writes, paged listings.
 * Every failure becomes a {@link StorageException} with a stable code; retries with backoff and
 * jitter happen inside the SDK client (see {@link S3ClientFactory}).
 */
public final class ObjectStore {

    private final S3Client s3;

    /**
     * @param s3 the SDK client, configured with retries and timeouts (see {@link S3ClientFactory});
     *     not closed here
     */
    public ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Reads a whole object, refusing it before download when the server says it is larger than
     * {@code maxBytes}, and stopping at {@code maxBytes} should the body run longer than announced.
     */
    public byte[] read(S3Location loc, long maxBytes) throws StorageException {
        GetObjectRequest req = GetObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(req)) {
            Long size = in.response().contentLength();
            if (size != null && size > maxBytes) {
                in.abort();
                throw new StorageException("too-large",
                        loc + " is " + size + " bytes, more than the limit of " + maxBytes);
            }
            byte[] body = readAtMost(in, maxBytes);
            if (body == null) {
                in.abort();
                throw new StorageException("too-large", loc + " is larger than the limit of " + maxBytes + " bytes");
            }
            return body;
        } catch (SdkException | IOException e) {
            throw translate(loc, "read", e);
        }
    }

    /** Writes a whole object in one PUT: readers see all of it or nothing. */
    public void write(S3Location loc, byte[] body, String contentType) throws StorageException {
        write(loc, body, contentType, Map.of());
    }

    /** Writes a whole object with user metadata ({@code x-amz-meta-*}). */
    public void write(S3Location loc, byte[] body, String contentType, Map<String, String> metadata)
            throws StorageException {
        PutObjectRequest req = PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key())
                .contentType(contentType).contentLength((long) body.length).metadata(metadata).build();
        try {
            s3.putObject(req, RequestBody.fromBytes(body));
        } catch (SdkException e) {
            throw translate(loc, "write", e);
        }
    }

    /**
     * Creates the object at {@code loc} only if there is none: one PUT with {@code If-None-Match: *}
     * (S3 conditional writes). A store that ignores the header overwrites silently, so call this only
     * where {@link #honoursConditionalWrites} said yes (or the operator did).
     *
     * @return true when this call created it, false when an object was already there (412); a 409
     *     (a concurrent conditional write of the same key) is tried again once, then is an error
     */
    public boolean create(S3Location loc, byte[] body, String contentType, Map<String, String> metadata)
            throws StorageException {
        PutObjectRequest req = PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).ifNoneMatch("*")
                .contentType(contentType).contentLength((long) body.length).metadata(metadata).build();
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(req, RequestBody.fromBytes(body));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                if (e.statusCode() != 409 || attempt == 2) {
                    throw translate(loc, "create", e);
                }
            } catch (SdkException e) {
                throw translate(loc, "create", e);
            }
        }
    }

    /**
     * Whether the store refuses a conditional PUT of an existing key: creates {@code probe} with
     * {@link #create} (which may find it there from an earlier start) and then once more, which must
     * answer 412. False when the store accepts the second one (it ignores the header) or refuses the
     * header itself (400, 501).
     *
     * @throws StorageException when the store cannot be asked (unreachable, forbidden)
     */
    public boolean honoursConditionalWrites(S3Location probe) throws StorageException {
        byte[] body = "conditional write probe of image-worker\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            return !create(probe, body, "text/plain", Map.of()) || !create(probe, body, "text/plain", Map.of());
        } catch (StorageException e) {
            if (e.getCause() instanceof S3Exception s3e && (s3e.statusCode() == 400 || s3e.statusCode() == 501)) {
                return false;
            }
            throw e;
        }
    }

    /** The user metadata of the object at {@code loc}, or empty when there is no such object. */
    public Optional<Map<String, String>> head(S3Location loc) throws StorageException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(loc.bucket()).key(loc.key())).metadata());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw translate(loc, "head", e);
        } catch (SdkException e) {
            throw translate(loc, "head", e);
        }
    }

    /** One page of keys under a prefix. */
    public record Page(List<S3Location> objects, String nextToken) {}

    /**
     * Lists one page of objects under {@code prefix}, folders (keys ending in '/') excluded.
     *
     * @param token continuation token of the previous page, or null for the first
     */
    public Page list(S3Location prefix, String token, int pageSize) throws StorageException {
        ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(prefix.bucket()).prefix(prefix.key())
                .continuationToken(token).maxKeys(pageSize).build();
        try {
            ListObjectsV2Response page = s3.listObjectsV2(req);
            List<S3Location> out = new ArrayList<>(page.contents().size());
            for (S3Object o : page.contents()) {
                if (!o.key().endsWith("/")) {
                    out.add(new S3Location(prefix.bucket(), o.key()));
                }
            }
            return new Page(out, Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
        } catch (SdkException e) {
            throw translate(prefix, "list", e);
        }
    }

    /** Creates a bucket unless it exists (for local stacks and tests; production buckets are provisioned). */
    public void ensureBucket(String bucket) throws StorageException {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // already there
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw translate(new S3Location(bucket, ""), "create bucket", e);
            }
        } catch (SdkException e) {
            throw translate(new S3Location(bucket, ""), "create bucket", e);
        }
    }

    private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes);
        byte[] body = in.readNBytes(cap);
        if (body.length == cap && in.read() >= 0) {
            return null;
        }
        return body;
    }

    private static StorageException translate(S3Location loc, String op, Exception e) {
        if (e instanceof NoSuchKeyException) {
            return new StorageException("not-found", "no object at " + loc, e);
        }
        if (e instanceof NoSuchBucketException) {
            return new StorageException("not-found", "no bucket '" + loc.bucket() + "'", e);
        }
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
            if (status == 404) {
                return new StorageException("not-found", "no object at " + loc, e);
            }
            if (status == 403) {
                return new StorageException("forbidden", op + " " + loc + " was refused by the object store ("
                        + (code == null ? "403" : code) + ")", e);
            }
            return new StorageException("storage-error", op + " " + loc + " failed: HTTP " + status
                    + (code == null ? "" : " " + code), e);
        }
        if (e instanceof SdkClientException || e instanceof IOException) {
            return new StorageException("unavailable", op + " " + loc + " failed after retries: " + rootMessage(e), e);
        }
        return new StorageException("storage-error", op + " " + loc + " failed: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
