package io.imageworker.documents;

import java.time.Duration;

/**
 * The time one page may take, checked by the content-stream engines (rendering, text) before each
 * operator. A budget that is spent throws {@link Exceeded}, an unchecked exception so that no
 * {@code catch (IOException)} inside PDFBox swallows it on its way out.
 */
final class PageBudget {

    private final long deadline;
    private final Duration budget;

    PageBudget(Duration budget) {
        this.budget = budget;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** Throws when the budget is spent. */
    void check() {
        if (System.nanoTime() - deadline > 0) {
            throw new Exceeded("page-timeout", "took longer than its time budget of " + budget.toMillis()
                    + " ms and was stopped");
        }
    }

    /** Why a page was stopped: its time budget, or an image over the pixel limit. */
    static final class Exceeded extends RuntimeException {
        private final String code;

        Exceeded(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        DocumentException toDocumentException(int page) {
            return new DocumentException(code, "page " + page + ": " + getMessage());
        }
    }
}
