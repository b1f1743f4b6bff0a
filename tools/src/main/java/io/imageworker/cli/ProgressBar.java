package io.imageworker.cli;

import java.io.PrintStream;

/** A one-line progress bar on a terminal stream, redrawn in place. */
final class ProgressBar {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private boolean shown;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void show(int done, int failed, int total) {
        if (out == null || total <= 0) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        out.printf("\r[%s%s] %d/%d done, %d failed", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, failed);
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
