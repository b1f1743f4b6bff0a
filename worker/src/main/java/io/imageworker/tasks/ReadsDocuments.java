package io.imageworker.tasks;

/**
 * Role of a task that takes documents (PDF, multi-page TIFF, animated GIF) as inputs: the pipeline
 * serves each chosen page as an item of its own (the task's {@link TaskHandler#process} sees one
 * page's image; the result carries {@code page}). Inputs of a task without it are decoded as images,
 * so a PDF fails as an unsupported format.
 */
public interface ReadsDocuments extends TaskHandler {}
