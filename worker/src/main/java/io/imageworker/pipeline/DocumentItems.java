package io.imageworker.pipeline;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.documents.DocumentException;
import io.imageworker.documents.DocumentFormat;
import io.imageworker.documents.DocumentLimits;
import io.imageworker.documents.DocumentPages;
import io.imageworker.documents.Page;
import io.imageworker.documents.PageSelection;
import io.imageworker.documents.TextLayer;
import io.imageworker.events.ItemResult;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.job.PlannedInput;
import io.imageworker.tasks.FeaturePlans;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ReadsDocuments;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
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
 * chosen page, for a task with the {@link ReadsDocuments} role, and every document of a Cloud Vision
 * {@code files:asyncBatchAnnotate} request (each page of it, a one-page TIFF or GIF included, answering
 * the request's features). The expansion happens here, after the fetch, because the page count is known
 * only from the bytes; planning still sees one input.
 *
 * <p>Pages are rendered one at a time on the CPU pool: the next page is rendered only when the task
 * has finished with the one before, so a document holds its bytes and one page however long it is.
 * Each page's result carries {@code page} (its number, from 1) and the page's size in pixels; a page
 * that fails (too large, timed out, damaged) fails alone with its code. A document that cannot be
 * opened at all (encrypted, damaged, too many pages or bytes, a {@code pages} option naming pages it
 * lacks, bytes that are not the type its request declared) is one failed item with the
 * {@link DocumentException}'s code. Each document reports its page count when opened and each page as
 * it finishes ({@link Pages}), for progress events.
 */
final class DocumentItems {

    /** The job option choosing pages, Cloud Vision's {@code pages}. */
    static final String PAGES = "pages";

    /** The MIME types of {@code files:asyncBatchAnnotate}'s {@code inputConfig.mimeType}, Cloud Vision's. */
    static final List<String> MIME_TYPES = List.of(DocumentFormat.PDF.mimeType(), DocumentFormat.TIFF.mimeType(),
            DocumentFormat.GIF.mimeType());

    /** Item error code of a document whose bytes are not the type its request declared. */
    static final String MIME_TYPE_MISMATCH = "mime-type-mismatch";

    /** Hears of a job's document pages: how many a document has when it is opened, and each one done. */
    interface Pages {
        /** A document of {@code pages} chosen pages was opened. */
        void opened(int pages);

        /** One page was served (succeeded or failed). */
        void done();
    }

    private final DocumentLimits limits;
    private final Executor cpu;

    DocumentItems(DocumentLimits limits, Executor cpu) {
        this.limits = limits;
        this.cpu = cpu;
    }

    /** The {@code files:asyncBatchAnnotate} document {@code input} is, or null for an image or a job's input. */
    static FeaturePlans.FileOutput file(JobPlan plan, PlannedInput input) {
        FeaturePlans features = plan.features();
        return features == null || input.index() >= features.files().size() ? null : features.files().get(input.index());
    }

    /**
     * Why a {@code files:asyncBatchAnnotate} document's declared type is not read (checked before the
     * fetch: the bytes would not help), or null when it is one of {@link #MIME_TYPES}.
     */
    static String unreadableType(FeaturePlans.FileOutput file) {
        if (file.mimeType() != null && MIME_TYPES.contains(file.mimeType())) {
            return null;
        }
        return (file.mimeType() == null ? "inputConfig.mimeType is not set" : "inputConfig.mimeType '" + file.mimeType()
                + "' is not a type files:asyncBatchAnnotate reads") + ": name the document's type, one of " + MIME_TYPES;
    }

    /**
     * Whether {@code bytes} are served as a document in {@code plan}: a {@code files:asyncBatchAnnotate}
     * document always; else when the task reads documents and the bytes are a PDF, or a TIFF or GIF of
     * more than one page (a one-page TIFF or GIF is an image, told from its headers so that it is parsed
     * once, by the image decoder).
     */
    boolean takes(JobPlan plan, PlannedInput input, byte[] bytes) {
        if (file(plan, input) != null) {
            return true;
        }
        return plan.handler() instanceof ReadsDocuments && DocumentFormat.sniff(bytes) != null
                && !DocumentFormat.singlePage(bytes);
    }

    /**
     * Serves the document's chosen pages one after another (every page of a {@code files:asyncBatchAnnotate}
     * document; for other jobs those the {@code pages} option chooses); completes with null when the bytes
     * of a job's input turn out to be a one-page TIFF or GIF after all (headers {@link DocumentFormat#singlePage}
     * could not walk), for the caller to decode as an image, and fails with the {@link DocumentException}
     * when the document cannot be opened, is not the type its request declared, or its pages cannot be chosen.
     */
    CompletableFuture<List<ItemResult>> serve(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, byte[] bytes,
            Pages progress) {
        FeaturePlans.FileOutput file = file(plan, input);
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (file != null) {
                    checkType(file, bytes);
                }
                DocumentPages doc = DocumentPages.open(bytes, limits);
                if (file == null && doc.format() != DocumentFormat.PDF && doc.pageCount() == 1) {
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
                PageSelection selection = file != null ? PageSelection.all() : selection(plan.job().options().path(PAGES));
                progress.opened(selection.resolve(doc.pageCount()).size());
                pages = doc.pages(selection);
            } catch (DocumentException e) {
                doc.close();
                return CompletableFuture.failedFuture(e);
            }
            List<ItemResult> results = new ArrayList<>();
            return next(plan, input, artifacts, doc, pages, results, progress).whenComplete((v, e) -> doc.close())
                    .thenApply(v -> results);
        });
    }

    /** The bytes are the type the request declared (Cloud Vision reads a file as its {@code mimeType} says). */
    private static void checkType(FeaturePlans.FileOutput file, byte[] bytes) throws DocumentException {
        DocumentFormat format = DocumentFormat.sniff(bytes);
        if (format == null) {
            throw new DocumentException("not-a-document", "inputConfig.mimeType is " + file.mimeType()
                    + " but the object is not a PDF, TIFF or GIF document");
        }
        if (!format.mimeType().equals(file.mimeType())) {
            throw new DocumentException(MIME_TYPE_MISMATCH, "inputConfig.mimeType is " + file.mimeType()
                    + " but the object's bytes are " + format.mimeType() + ": name the type it is");
        }
    }

    private CompletableFuture<Void> next(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, DocumentPages doc,
            Iterator<Page> pages, List<ItemResult> results, Pages progress) {
        return CompletableFuture.supplyAsync(() -> pages.hasNext() ? pages.next() : null, cpu).thenCompose(page -> {
            if (page == null) {
                return CompletableFuture.completedFuture(null);
            }
            return page(plan, input, artifacts, doc, page).thenCompose(r -> {
                results.add(r);
                progress.done();
                return next(plan, input, artifacts, doc, pages, results, progress);
            });
        });
    }

    private CompletableFuture<ItemResult> page(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, DocumentPages doc,
            Page page) {
        Integer width = page.width() > 0 ? page.width() : null;
        Integer height = page.height() > 0 ? page.height() : null;
        if (!page.ok()) {
            return CompletableFuture.completedFuture(new ItemResult(input.index(), input.uri(), input.id(),
                    ItemResult.FAILED, page.error().toItemError(), width, height, null, null, Map.of("page", page.number())));
        }
        // each page's artifacts under pages/<n>/ so that pages of one input do not overwrite each other
        ArtifactWriter pageArtifacts = artifacts.at(artifacts.prefix().resolve("pages/" + page.number() + "/"));
        ItemWork work = new ItemWork(plan, input, pageArtifacts, cpu, 1, page.width(), page.height(), page.number(),
                page.dpi());
        BufferedImage image = Preprocessor.flatten(page.image());
        CompletableFuture<ItemResult> read = textLayer(plan, work, doc, page, image);
        return (read != null ? read : plan.handler().process(work, image)).handle((r, e) -> {
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

    /**
     * The page's result from its PDF text layer when the job asks {@code textLayer: auto}, the page has a sane
     * layer and the task takes it; null to read the page's pixels.
     */
    private static CompletableFuture<ItemResult> textLayer(JobPlan plan, ItemWork work, DocumentPages doc, Page page,
            BufferedImage image) {
        if (!ReadsDocuments.AUTO.equals(plan.job().options().path(ReadsDocuments.TEXT_LAYER).asText(ReadsDocuments.OCR))
                || !(plan.handler() instanceof ReadsDocuments reads)) {
            return null;
        }
        try {
            TextLayer.Text layer = doc.textLayer(page.number());
            return layer.sane() ? reads.readTextLayer(work, image, layer) : null;
        } catch (DocumentException e) {
            return null; // the layer cannot be read in time: the page is read from its pixels, as without the option
        }
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
