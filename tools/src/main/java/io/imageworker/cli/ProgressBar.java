package io.imageworker.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on a terminal stream, redrawn in place: items done of the job's items, and
 * for a job that reads documents (a progress event with {@code pages}) the pages done of those known,
 * which then fill the bar (a job of one 50-page PDF is one item).
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private boolean shown;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void show(int done, int failed, int total) {
        show(done, failed, total, 0, 0);
    }

    /** @param pagesTotal the pages of the documents opened so far, 0 for a job that reads none */
    void show(int done, int failed, int total, int pagesDone, int pagesTotal) {
        if (out == null || total <= 0) {
            return;
        }
        boolean pages = pagesTotal > 0;
        int filled = (int) Math.min(WIDTH, (long) WIDTH * (pages ? pagesDone : done) / (pages ? pagesTotal : total));
        out.printf("\r[%s%s] %d/%d done, %d failed%s", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, failed,
                pages ? ", " + pagesDone + "/" + pagesTotal + " pages" : "");
        out.flush();
        shown = true;
    }

    void finish() {
        if (out != null && shown) {
            out.println();
            shown = false;
        }
    }
}
