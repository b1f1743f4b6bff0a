package io.imageworker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.artifacts.ReportWriter;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.ItemError;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.events.ResultEvent;
import io.imageworker.intake.JobEnvelope;
import io.imageworker.job.Rejection;
import io.imageworker.publish.CloudEventHeaders;
import io.imageworker.publish.Publisher;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.tasks.Finishes;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.WritesNoArtifacts;

/**
 * Turns a job's outcome into its result files and event. Under the job's output prefix:
 * {@code items.jsonl} (one item per line, for streaming) and {@code report.html} (a contact sheet)
 * for jobs of at least the configured number of items, and last {@code result.json} (the complete
 * result), so a reader that sees result.json sees everything. The event carries the items too unless
 * that would make it larger than the configured limit; it then says {@code itemsOmitted} and points
 * at the files.
 *
 * <p>A job that writes nothing but result.json (see {@link #createsResult}) creates it with a
 * conditional PUT when the store honours them: that PUT is its duplicate check, in place of a HEAD
 * before its work.
 */
final class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    static final String RESULT_FILE = "result.json";
    static final String ITEMS_FILE = "items.jsonl";
    static final String REPORT_FILE = "report.html";
    /** User metadata on result.json naming the record that produced it. */
    static final String SOURCE = "source";

    private final ObjectStore store;
    private final Publisher publisher;
    private final ObjectMapper json;
    private final ReportWriter reports;
    private final String topic;
    private final String workerId;
    private final int maxInlineBytes;
    private final boolean writeReport;
    private final int itemsFileMinItems;
    private final int reportMinItems;
    private final boolean conditionalWrites;
    private final CloudEventHeaders cloudEvents;

    ResultWriter(ObjectStore store, Publisher publisher, ObjectMapper json, String topic, String workerId,
            int maxInlineBytes, boolean writeReport, int itemsFileMinItems) {
        this(store, publisher, json, topic, workerId, maxInlineBytes, writeReport, 1, itemsFileMinItems, false,
                new CloudEventHeaders(CloudEventHeaders.defaultSource(workerId)));
    }

    /**
     * @param writeReport whether report.html is written at all
     * @param reportMinItems report.html only for jobs of at least this many items
     * @param itemsFileMinItems items.jsonl only for jobs of at least this many items
     * @param conditionalWrites whether the store honours {@code If-None-Match: *} on PUT
     * @param cloudEvents the CloudEvents attributes every result event carries in its headers
     */
    ResultWriter(ObjectStore store, Publisher publisher, ObjectMapper json, String topic, String workerId,
            int maxInlineBytes, boolean writeReport, int reportMinItems, int itemsFileMinItems, boolean conditionalWrites,
            CloudEventHeaders cloudEvents) {
        this.cloudEvents = cloudEvents;
        this.writeReport = writeReport;
        this.reportMinItems = reportMinItems;
        this.conditionalWrites = conditionalWrites;
        this.itemsFileMinItems = itemsFileMinItems;
        this.store = store;
        this.publisher = publisher;
        this.json = json;
        this.reports = new ReportWriter(json);
        this.topic = topic;
        this.workerId = workerId;
        this.maxInlineBytes = maxInlineBytes;
    }

    ObjectStore store() {
        return store;
    }

    /**
     * True when {@code plan} writes nothing under its output prefix but result.json (a task without
     * artifacts of its own, too few items for items.jsonl and report.html) and the store honours
     * conditional writes: result.json is then created with {@code If-None-Match: *}, which refuses a
     * second job of the same id without a HEAD before the work. Decided from the planned inputs, so
     * the check before the work and the write after it agree.
     */
    boolean createsResult(JobPlan plan) {
        int items = plan.inputs().size();
        return conditionalWrites && plan.handler() instanceof WritesNoArtifacts && plan.features() == null
                && items < itemsFileMinItems && !(writeReport && items >= reportMinItems);
    }

    /** The job-level artifacts of {@code plan}'s task ({@link Finishes}), by name to URI; none for a task without that role. */
    private static CompletableFuture<java.util.Map<String, String>> taskArtifacts(JobPlan plan, List<ItemResult> items,
            ArtifactWriter artifacts) {
        return plan.handler() instanceof Finishes f ? f.finish(plan, items, artifacts)
                : CompletableFuture.completedFuture(java.util.Map.of());
    }

    /** Writes the job's result files and completes with the event to publish. */
    CompletableFuture<ResultEvent> finish(JobPlan plan, JobRunner.Outcome outcome, ArtifactWriter artifacts, int attempt,
            Instant received) {
        List<ItemResult> items = outcome.items();
        return taskArtifacts(plan, items, artifacts)
                .thenCompose(taskArtifacts -> write(plan, outcome, artifacts, attempt, received, taskArtifacts))
                .exceptionally(error -> {
                    if (rootCause(error) instanceof Rejection.Exception duplicate) {
                        // result.json belongs to another record's job: nothing to publish under this id
                        throw new java.util.concurrent.CompletionException(duplicate);
                    }
                    LOG.warnf("result files of job %s could not be written: %s", plan.job().jobId(), rootMessage(error));
                    ResultEvent event = event(plan, outcome, artifacts, attempt, received, Map.of(), null);
                    return withError(event, new ItemError("output-unavailable",
                            "the job's result files could not be written to " + artifacts.prefix() + ": " + rootMessage(error)));
                });
    }

    private CompletableFuture<ResultEvent> write(JobPlan plan, JobRunner.Outcome outcome, ArtifactWriter artifacts,
            int attempt, Instant received, Map<String, String> taskArtifacts) {
        boolean create = createsResult(plan);
        int n = outcome.items().size();
        boolean itemsFile = !create && n >= itemsFileMinItems;
        boolean report = !create && writeReport && n >= reportMinItems;
        Map<String, String> files = new LinkedHashMap<>(taskArtifacts);
        if (itemsFile) {
            files.put("items", artifacts.prefix().resolve(ITEMS_FILE).toString());
        }
        if (report) {
            files.put("report", artifacts.prefix().resolve(REPORT_FILE).toString());
        }
        ResultEvent event = event(plan, outcome, artifacts, attempt, received, files,
                artifacts.prefix().resolve(RESULT_FILE).toString());
        List<CompletableFuture<String>> first = new java.util.ArrayList<>();
        byte[] full;
        try {
            if (itemsFile) {
                first.add(artifacts.write(ITEMS_FILE, jsonLines(outcome.items()), "application/x-ndjson"));
            }
            if (report) {
                first.add(artifacts.write(REPORT_FILE, reports.render(json.valueToTree(event), artifacts.prefix(),
                        outcome.thumbnails(), plan.handler() instanceof ReportsSection r ? r.reportSection(plan) : ReportSection.NONE), "text/html; charset=utf-8"));
            }
            full = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, String> source = Map.of(SOURCE, plan.source());
        if (create) {
            return artifacts.create(RESULT_FILE, full, "application/json", source)
                    .thenCompose(created -> created ? CompletableFuture.completedFuture(event)
                            : existing(plan, artifacts, full, source, event));
        }
        return CompletableFuture.allOf(first.toArray(CompletableFuture[]::new))
                .thenCompose(v -> artifacts.write(RESULT_FILE, full, "application/json", source))
                .thenApply(uri -> event);
    }

    /**
     * result.json was already there when this job came to create it: written by the same record
     * (a redelivery; overwritten as before, the same job's result) or by another record's job with
     * this id, which keeps it: this one fails with a {@code duplicate-job} rejection.
     */
    private CompletableFuture<ResultEvent> existing(JobPlan plan, ArtifactWriter artifacts, byte[] full,
            Map<String, String> source, ResultEvent event) {
        return artifacts.metadata(RESULT_FILE).thenCompose(meta -> {
            String earlier = meta.map(m -> m.get(SOURCE)).orElse(null);
            if (earlier != null && !earlier.equals(plan.source())) {
                return CompletableFuture.failedFuture(duplicate(plan, earlier));
            }
            return artifacts.write(RESULT_FILE, full, "application/json", source).thenApply(uri -> event);
        });
    }

    /**
     * A job whose result.json already exists from another record is a second job with the same id:
     * refused, so it cannot overwrite the first one's artifacts. From the same record it is a
     * redelivery, served again (it overwrites the same keys with the same content). One HEAD before
     * the work; a job that writes only result.json skips it where the store honours conditional
     * writes and finds the same out when it creates result.json (see {@link #createsResult}).
     */
    void rejectIfDone(JobPlan plan) throws Rejection.Exception, StorageException {
        Optional<Map<String, String>> done = store.head(plan.output().resolve(RESULT_FILE));
        String earlier = done.map(m -> m.get(SOURCE)).orElse(null);
        if (earlier != null && !earlier.equals(plan.source())) {
            throw duplicate(plan, earlier);
        }
    }

    /** The rejection of a job whose id another record's job already used (its result.json names that record). */
    static Rejection.Exception duplicate(JobPlan plan, String earlier) {
        return Rejection.exception(Rejection.DUPLICATE_JOB, "job id '" + plan.job().jobId()
                + "' was already served (from " + earlier + ", results at " + plan.output()
                + "); job ids must be unique", plan.job().jobId());
    }

    private ResultEvent event(JobPlan plan, JobRunner.Outcome outcome, ArtifactWriter artifacts, int attempt,
            Instant received, Map<String, String> files, String resultUri) {
        List<ItemResult> items = outcome.items();
        int ok = (int) items.stream().filter(ItemResult::succeeded).count();
        ResultEvent.Summary summary = new ResultEvent.Summary(items.size(), ok, items.size() - ok);
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("totalMs", Duration.between(received, Instant.now()).toMillis());
        timings.put("fetchMs", outcome.fetchNanos() / 1_000_000);
        timings.put("decodeMs", outcome.decodeNanos() / 1_000_000);
        timings.put("serveMs", outcome.serveNanos() / 1_000_000);
        return common(plan.job(), attempt, received).status(ResultEvent.statusOf(summary)).model(modelRef(plan))
                .summary(summary).items(items).resultUri(resultUri).outputUri(artifacts.prefix().toString())
                .artifacts(files.isEmpty() ? null : files).timings(timings).build();
    }

    /** The fields every event of a readable job carries. */
    private ResultEvent.Builder common(JobRequest job, Integer attempt, Instant received) {
        return ResultEvent.builder(job.jobId()).task(job.task()).workerId(workerId).attempt(attempt)
                .receivedAt(received.toString()).finishedAt(Instant.now().toString()).metadata(metadata(job));
    }

    private byte[] jsonLines(List<ItemResult> items) throws JsonProcessingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * 256);
        try {
            for (ItemResult item : items) {
                out.write(json.writeValueAsBytes(item));
                out.write('\n');
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A result with no items: expired, or failed before any item ran. */
    ResultEvent terminal(JobRequest job, String status, ItemError error, int attempt, Instant received) {
        return common(job, attempt, received).status(status).summary(new ResultEvent.Summary(0, 0, 0)).items(List.of())
                .error(error).build();
    }

    /** The result that tells a submitter its event was dead-lettered. */
    ResultEvent rejected(String jobId, JobRequest job, Rejection r, Instant received) {
        ResultEvent.Builder b = job == null
                ? ResultEvent.builder(jobId).workerId(workerId).receivedAt(received.toString())
                        .finishedAt(Instant.now().toString())
                : common(job, null, received);
        return b.jobId(jobId).status(ResultEvent.REJECTED).summary(new ResultEvent.Summary(0, 0, 0))
                .error(new ItemError(r.code(), r.reason())).build();
    }

    /**
     * Publishes {@code event}, the answer to the job record {@code source}, without its items if they
     * would make it too large; {@code trace} goes into headers.
     */
    CompletableFuture<Void> publish(ResultEvent event, Map<String, String> trace, JobEnvelope source)
            throws JsonProcessingException {
        byte[] value = json.writeValueAsBytes(event);
        if (value.length > maxInlineBytes && event.items() != null) {
            value = json.writeValueAsBytes(event.toBuilder().items(null).itemsOmitted(true).build());
        }
        // CloudEvents binary mode (ce_* and content-type), then the worker's own schema header and the trace context.
        List<Map.Entry<String, byte[]>> headers = new java.util.ArrayList<>(cloudEvents.headers(
                CloudEventHeaders.RESULT_TYPE, event.jobId(), time(event.finishedAt()), EventSchemas.RESULT_ID, value));
        headers.add(Publisher.header("schema", EventSchemas.RESULT_ID));
        trace.forEach((k, v) -> headers.add(Publisher.header(k, v)));
        return publisher.answering(source.topic(), source.partition(), source.offset())
                .send(topic, event.jobId().getBytes(java.nio.charset.StandardCharsets.UTF_8), value, headers);
    }

    private static Instant time(String iso) {
        try {
            return iso == null ? Instant.now() : Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static ResultEvent withError(ResultEvent e, ItemError error) {
        return e.toBuilder().status(ResultEvent.FAILED).resultUri(null).artifacts(null).error(error).build();
    }

    private static ResultEvent.ModelRef modelRef(JobPlan plan) {
        return plan.model() == null ? null
                : new ResultEvent.ModelRef(plan.model().card().name(), plan.model().card().version());
    }

    private static Map<String, String> metadata(JobRequest job) {
        return job.metadata() == null || job.metadata().isEmpty() ? null : job.metadata();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
