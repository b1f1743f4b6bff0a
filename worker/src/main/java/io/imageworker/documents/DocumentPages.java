package io.imageworker.documents;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A document's pages, one at a time: a PDF (rendered with Apache PDFBox), a multi-page TIFF (1-bit
 * CCITT G3/G4 fax pages, LZW, Deflate, PackBits, JPEG) or a GIF's frames (both decoded by the image
 * readers of {@code imaging}). The stage between a document's bytes and the images a task reads.
 *
 * <p>Before any page is rendered: the format is recognised from the bytes ({@link DocumentFormat#sniff}), the
 * size in bytes and the page count are checked against the {@link DocumentLimits}, the {@code pages}
 * asked for are resolved ({@link PageSelection}), and a PDF that needs a password is refused. Those
 * failures are the document's ({@link DocumentException} from {@link #open} and {@link #pages}); every
 * failure after that is one page's ({@link Page#error()}), and the next page is still read.
 *
 * <p>Memory: the document's bytes plus one page. {@link #pages} renders a page when the iterator is asked
 * for it and keeps no reference to it; PDFBox is set to cache no images between pages. Not thread-safe:
 * one thread reads one document; close it when done.
 */
public final class DocumentPages implements AutoCloseable {

    /** One format's pages. */
    interface Source extends AutoCloseable {
        int pageCount();

        /** Renders or decodes page {@code number} (1-based); failures are the page's. */
        Page page(int number);

        /** The page's embedded text at its render scale; empty for formats without a text layer. */
        TextLayer.Text text(int number) throws DocumentException;

        @Override
        void close();
    }

    private final DocumentFormat format;
    private final Source source;

    private DocumentPages(DocumentFormat format, Source source) {
        this.format = format;
        this.source = source;
    }

    /**
     * Opens a document, reading its structure (PDF cross-reference and page tree, TIFF IFDs, GIF frame
     * headers) but no page's content.
     *
     * @throws DocumentException {@code not-a-document}, {@code document-too-large}, {@code too-many-pages},
     *     {@code encrypted-document} or {@code corrupt-document}
     */
    public static DocumentPages open(byte[] bytes, DocumentLimits limits) throws DocumentException {
        if (bytes.length > limits.maxBytes()) {
            throw new DocumentException("document-too-large", "the document is " + bytes.length
                    + " bytes, more than the limit of " + limits.maxBytes());
        }
        DocumentFormat format = DocumentFormat.sniff(bytes);
        if (format == null) {
            throw new DocumentException("not-a-document", "not a PDF, TIFF or GIF document");
        }
        Source source = format == DocumentFormat.PDF ? PdfSource.open(bytes, limits) : FrameSource.open(bytes, limits);
        if (source.pageCount() > limits.maxPages()) {
            int n = source.pageCount();
            source.close();
            throw new DocumentException("too-many-pages", "the document has " + n + " pages, more than the limit of "
                    + limits.maxPages());
        }
        return new DocumentPages(format, source);
    }

    /** The document's format, from its bytes. */
    public DocumentFormat format() {
        return format;
    }

    /** The number of pages (TIFF pages, GIF frames). */
    public int pageCount() {
        return source.pageCount();
    }

    /**
     * The pages chosen, rendered one by one as the iterator is advanced.
     *
     * @throws DocumentException {@code bad-pages} when the selection names a page the document lacks
     */
    public Iterator<Page> pages(PageSelection selection) throws DocumentException {
        List<Integer> numbers = selection.resolve(source.pageCount());
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < numbers.size();
            }

            @Override
            public Page next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return source.page(numbers.get(next++));
            }
        };
    }

    /** Renders or decodes one page (1-based); its failure is in the result. */
    public Page page(int number) {
        if (number < 1 || number > source.pageCount()) {
            throw new IllegalArgumentException("page " + number + " of " + source.pageCount());
        }
        return source.page(number);
    }

    /**
     * The embedded text of page {@code number} (1-based) with its words' boxes in the pixels of that page as
     * {@link #page} renders it; empty for TIFF and GIF, which have no text layer. Whether to use it:
     * {@link TextLayer.Text#sane()}.
     *
     * @throws DocumentException {@code corrupt-page} when the page's content cannot be read,
     *     {@code page-timeout} past the page's time budget, {@code page-too-large} as for rendering
     */
    public TextLayer.Text textLayer(int number) throws DocumentException {
        if (number < 1 || number > source.pageCount()) {
            throw new IllegalArgumentException("page " + number + " of " + source.pageCount());
        }
        return source.text(number);
    }

    @Override
    public void close() {
        source.close();
    }
}
