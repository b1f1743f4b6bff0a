package io.imageworker.pipeline;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.documents.DocumentException;
import io.imageworker.documents.DocumentFormat;
import io.imageworker.documents.DocumentLimits;
import io.imageworker.documents.DocumentPages;
import io.imageworker.documents.Page;
import io.imageworker.documents.PageSelection;
import io.imageworker.events.ItemResult;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.job.PlannedInput;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ReadsDocuments;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Serves an input that is a document (a PDF, or a TIFF or GIF of more than one page) as one item per
 * chosen page, for a task with the {@link ReadsDocuments} role. The expansion happens here, after the
 * fetch, because the page count is known only from the bytes; planning still sees one input.
 *
 * <p>Pages are rendered one at a time on the CPU pool: the next page is rendered only when the task
 * has finished with the one before, so a document holds its bytes and one page however long it is.
 * Each page's result carries {@code page} (its number, from 1) and the page's size in pixels; a page
 * that fails (too large, timed out, damaged) fails alone with its code. A document that cannot be
 * opened at all (encrypted, damaged, too many pages or bytes, a {@code pages} option naming pages it
 * lacks) is one failed item with the {@link DocumentException}'s code.
 */
final class DocumentItems {

    /** The job option choosing pages, Cloud Vision's {@code pages}. */
    static final String PAGES = "pages";

    private final DocumentLimits limits;
    private final Executor cpu;

    DocumentItems(DocumentLimits limits, Executor cpu) {
        this.limits = limits;
        this.cpu = cpu;
    }

    /**
     * Whether {@code bytes} are served as a document in {@code plan}: the task reads documents and the
     * bytes are a PDF, TIFF or GIF (a one-page TIFF or GIF is then still served as an image, see
     * {@link #serve}).
     */
    boolean takes(JobPlan plan, byte[] bytes) {
        return plan.handler() instanceof ReadsDocuments && DocumentFormat.sniff(bytes) != null;
    }

    /**
     * Serves the document's chosen pages one after another; completes with null when {@code bytes} turn
     * out to be a one-page TIFF or GIF, for the caller to decode as an image, and fails with the
     * {@link DocumentException} when the document cannot be opened or its pages chosen.
     */
    CompletableFuture<List<ItemResult>> serve(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, byte[] bytes) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                DocumentPages doc = DocumentPages.open(bytes, limits);
                if (doc.format() != DocumentFormat.PDF && doc.pageCount() == 1) {
                    doc.close();
                    return null;
                }
                return doc;
            } catch (DocumentException e) {
                throw new CompletionException(e);
            }
        }, cpu).thenCompose(doc -> {
            if (doc == null) {
                return CompletableFuture.completedFuture(null);
            }
            Iterator<Page> pages;
            try {
                pages = doc.pages(selection(plan.job().options().path(PAGES)));
            } catch (DocumentException e) {
                doc.close();
                return CompletableFuture.failedFuture(e);
            }
            List<ItemResult> results = new ArrayList<>();
            return next(plan, input, artifacts, pages, results).whenComplete((v, e) -> doc.close()).thenApply(v -> results);
        });
    }

    private CompletableFuture<Void> next(JobPlan plan, PlannedInput input, ArtifactWriter artifacts,
            Iterator<Page> pages, List<ItemResult> results) {
        return CompletableFuture.supplyAsync(() -> pages.hasNext() ? pages.next() : null, cpu).thenCompose(page -> {
            if (page == null) {
                return CompletableFuture.completedFuture(null);
            }
            return page(plan, input, artifacts, page).thenCompose(r -> {
                results.add(r);
                return next(plan, input, artifacts, pages, results);
            });
        });
    }

    private CompletableFuture<ItemResult> page(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, Page page) {
        Integer width = page.width() > 0 ? page.width() : null;
        Integer height = page.height() > 0 ? page.height() : null;
        if (!page.ok()) {
            return CompletableFuture.completedFuture(new ItemResult(input.index(), input.uri(), input.id(),
                    ItemResult.FAILED, page.error().toItemError(), width, height, null, null, Map.of("page", page.number())));
        }
        // each page's artifacts under pages/<n>/ so that pages of one input do not overwrite each other
        ArtifactWriter pageArtifacts = artifacts.at(artifacts.prefix().resolve("pages/" + page.number() + "/"));
        ItemWork work = new ItemWork(plan, input, pageArtifacts, cpu, 1, page.width(), page.height());
        return plan.handler().process(work, Preprocessor.flatten(page.image())).handle((r, e) -> {
            ItemResult result = r != null ? r : JobRunner.failure(input, e);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("page", page.number());
            if (result.extra() != null) {
                extra.putAll(result.extra());
            }
            return new ItemResult(result.index(), result.uri(), result.id(), result.status(), result.error(),
                    result.width() != null ? result.width() : width, result.height() != null ? result.height() : height,
                    result.labels(), result.artifacts(), extra);
        });
    }

    /** The {@code pages} option as a selection: Cloud Vision's numbers, the first 5 when none are named. */
    static PageSelection selection(JsonNode pages) {
        if (pages == null || !pages.isArray()) {
            return PageSelection.of(List.of());
        }
        List<Integer> numbers = new ArrayList<>();
        pages.forEach(p -> numbers.add(p.asInt()));
        return PageSelection.of(numbers);
    }
}
