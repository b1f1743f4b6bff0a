package io.imageworker.planning;

import io.imageworker.job.PlannedInput;
import io.imageworker.events.JobRequest;
import io.imageworker.job.Rejection;
import io.imageworker.storage.LocationPolicy;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.storage.StorageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands a job's inputs into the objects to fetch: the listed URIs, or every object under a
 * prefix (listed page by page), each checked against the allowed input buckets, at most the
 * configured number per job. A listed input outside the allow-list fails as its own item; a prefix
 * outside it rejects the job.
 */
public final class InputPlanner {


    private static final int PAGE = 1000;

    private final LocationPolicy policy;
    private final ObjectStore store;
    private final int maxInputs;

    /**
     * @param policy the allowed input buckets every URI is checked against
     * @param store lists the objects under an input prefix
     * @param maxInputs the most objects one job may take (listed or under a prefix); more rejects
     *     the job with {@code TOO_MANY_INPUTS}
     */
    public InputPlanner(LocationPolicy policy, ObjectStore store, int maxInputs) {
        this.policy = policy;
        this.store = store;
        this.maxInputs = maxInputs;
    }

    /**
     * @throws Rejection.Exception for inputs outside the allow-lists or too many of them
     * @throws StorageException when a prefix cannot be listed
     */
    public List<PlannedInput> plan(JobRequest job) throws Rejection.Exception, StorageException {
        List<PlannedInput> out = new ArrayList<>();
        if (job.inputPrefix() != null) {
            S3Location prefix = allowed(job, job.inputPrefix());
            String token = null;
            do {
                ObjectStore.Page page = store.list(prefix, token, PAGE);
                for (S3Location loc : page.objects()) {
                    if (out.size() == maxInputs) {
                        throw Rejection.exception(Rejection.TOO_MANY_INPUTS,
                                "prefix " + job.inputPrefix() + " holds more than " + maxInputs
                                        + " objects, the most one job may take; split it", job.jobId());
                    }
                    out.add(new PlannedInput(out.size(), loc.toString(), null, loc, null));
                }
                token = page.nextToken();
            } while (token != null);
            return out;
        }
        if (job.inputs().size() > maxInputs) {
            throw Rejection.exception(Rejection.TOO_MANY_INPUTS, "the job names " + job.inputs().size()
                    + " inputs, more than the " + maxInputs + " one job may take; split it", job.jobId());
        }
        for (JobRequest.Input in : job.inputs()) {
            try {
                out.add(new PlannedInput(out.size(), in.uri(), in.id(), policy.input(in.uri()), null));
            } catch (IllegalArgumentException e) {
                out.add(new PlannedInput(out.size(), in.uri(), in.id(), null, e.getMessage()));
            }
        }
        return out;
    }

    private S3Location allowed(JobRequest job, String uri) throws Rejection.Exception {
        try {
            return policy.input(uri);
        } catch (IllegalArgumentException e) {
            throw Rejection.exception(Rejection.NOT_ALLOWED, "input " + e.getMessage(), job.jobId());
        }
    }
}
