/**
 * Documents as inputs: a PDF, a multi-page TIFF or a GIF's bytes become its pages as images, one at a
 * time ({@link io.imageworker.documents.DocumentPages}), under a document limit checked before anything
 * is rendered ({@link io.imageworker.documents.DocumentLimits}), each page its own result or its own
 * error; and a PDF page's embedded text with word boxes ({@link io.imageworker.documents.TextLayer}).
 * The only package that uses Apache PDFBox. Uses {@code imaging} (the image readers) and {@code events}
 * (error codes); not yet wired into jobs (docs/tasks/documents.md).
 */
package io.imageworker.documents;
