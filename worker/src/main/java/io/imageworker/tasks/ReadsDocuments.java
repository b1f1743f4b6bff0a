package io.imageworker.tasks;

import io.imageworker.documents.TextLayer;
import io.imageworker.events.ItemResult;
import java.awt.image.BufferedImage;
import java.util.concurrent.CompletableFuture;

/**
 * Role of a task that takes documents (PDF, multi-page TIFF, animated GIF) as inputs: the pipeline
 * serves each chosen page as an item of its own (the task's {@link TaskHandler#process} sees one
 * page's image; the result carries {@code page}). Inputs of a task without it are decoded as images,
 * so a PDF fails as an unsupported format.
 */
public interface ReadsDocuments extends TaskHandler {

    /** The job option choosing where a PDF page's text comes from: {@value #OCR} (default) or {@value #AUTO}. */
    String TEXT_LAYER = "textLayer";
    /** Read every page's pixels, as Cloud Vision does. */
    String OCR = "ocr";
    /** Take a PDF page's own text layer where it has a sane one ({@link TextLayer.Text#sane()}); read the rest. */
    String AUTO = "auto";

    /**
     * The item result of a page from its PDF text layer instead of its pixels, for a job whose
     * {@value #TEXT_LAYER} is {@value #AUTO} and a page whose layer is sane; null (the default) where this
     * task reads pixels whatever the job asks, and the page is then processed as any other.
     *
     * @param work the page's work (its size is the page's as rendered)
     * @param page the rendered page, for artifacts drawn over it
     * @param layer the page's text layer, word boxes in the rendered page's pixels
     */
    default CompletableFuture<ItemResult> readTextLayer(ItemWork work, BufferedImage page, TextLayer.Text layer) {
        return null;
    }
}
