package io.imageworker.documents;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which pages of a document are read, as Cloud Vision's {@code pages} option of files:annotate
 * ({@code AnnotateFileRequest.pages}) says it: numbers from 1, negative numbers from the end (-1 is the
 * last page), GIF frames counted as pages; an empty list means the first 5 pages. Cloud Vision's
 * files:asyncBatchAnnotate has no {@code pages} field and reads every page ({@link #all()}).
 *
 * <p>Resolved against the page count before anything is rendered: a number beyond the document (or 0)
 * fails the document with {@code bad-pages}; a page named twice is read once; the pages are read in the
 * order named.
 */
public final class PageSelection {

    /** Pages read when none are named, as Cloud Vision's files:annotate does. */
    public static final int DEFAULT_FIRST = 5;

    private final List<Integer> named;
    private final boolean all;

    private PageSelection(List<Integer> named, boolean all) {
        this.named = List.copyOf(named);
        this.all = all;
    }

    /**
     * The pages named, Cloud Vision's way.
     *
     * @param pages page numbers (1-based; negative from the end); null or empty: the first {@value #DEFAULT_FIRST}
     */
    public static PageSelection of(List<Integer> pages) {
        return new PageSelection(pages == null ? List.of() : pages, false);
    }

    /** Every page of the document, in order. */
    public static PageSelection all() {
        return new PageSelection(List.of(), true);
    }

    /**
     * The 1-based page numbers to read from a document of {@code pageCount} pages, in order, without repeats.
     *
     * @throws DocumentException {@code bad-pages} when a number is 0 or names a page the document lacks
     */
    public List<Integer> resolve(int pageCount) throws DocumentException {
        List<Integer> out = new ArrayList<>();
        if (all || named.isEmpty()) {
            int n = all ? pageCount : Math.min(DEFAULT_FIRST, pageCount);
            for (int p = 1; p <= n; p++) {
                out.add(p);
            }
            return out;
        }
        Set<Integer> seen = new LinkedHashSet<>();
        for (int p : named) {
            int page = p < 0 ? pageCount + 1 + p : p;
            if (p == 0 || page < 1 || page > pageCount) {
                throw new DocumentException("bad-pages", "pages names page " + p + " of a document of " + pageCount
                        + " page" + (pageCount == 1 ? "" : "s") + " (pages count from 1; -1 is the last)");
            }
            seen.add(page);
        }
        out.addAll(seen);
        return out;
    }
}
