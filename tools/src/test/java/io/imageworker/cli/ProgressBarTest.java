package io.imageworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The submit command's progress line: items, and pages for a job that reads documents. */
class ProgressBarTest {

    static String shown(int done, int failed, int total, int pagesDone, int pagesTotal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8)).show(done, failed, total, pagesDone, pagesTotal);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aJobOfOneLongDocumentFillsTheBarByPages() {
        String line = shown(0, 0, 1, 25, 50);
        assertThat(line).endsWith("0/1 done, 0 failed, 25/50 pages");
        // half the pages: half the bar
        assertThat(line.chars().filter(c -> c == '#').count()).isEqualTo(15);
    }

    @Test
    void aJobOfImagesShowsItemsOnly() {
        String line = shown(10, 1, 40, 0, 0);
        assertThat(line).endsWith("10/40 done, 1 failed");
        assertThat(line.chars().filter(c -> c == '#').count()).isEqualTo(7);
    }
}
