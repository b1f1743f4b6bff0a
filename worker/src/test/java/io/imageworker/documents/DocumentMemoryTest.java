package io.imageworker.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Iterator;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;

/**
 * Memory is flat in the number of pages: a 500-page PDF, each page with its own text and its own image
 * (so a cache of images or rendered pages would grow with every page), rendered page by page, holds no
 * more heap after a garbage collection than a 1-page document does, beyond a small margin for the page
 * objects PDFBox parses once (a few KB a page). Measured as the heap in use after {@code System.gc()}
 * every 50 pages; the figures are printed.
 */
class DocumentMemoryTest {

    static final int PAGES = 500;
    /** What a page may leave behind, on average: PDFBox keeps each parsed page dictionary (about 1-3 KB). */
    static final long BYTES_PER_PAGE = 40_000;

    static byte[] pdf(int pages) throws Exception {
        try (PDDocument d = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                d.addPage(page);
                BufferedImage picture = TestDocuments.page(300, 300, "p" + i, BufferedImage.TYPE_INT_RGB);
                PDImageXObject image = LosslessFactory.createFromImage(d, picture);
                try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                    cs.beginText();
                    cs.setFont(TestDocuments.HELVETICA, 14);
                    cs.newLineAtOffset(72, 760);
                    cs.showText("Page " + i + " of a long report, with a figure below");
                    cs.endText();
                    cs.drawImage(image, 72, 400, 300, 300);
                }
            }
            return TestDocuments.save(d);
        }
    }

    /** Heap in use after a full collection, bytes. */
    static long retained() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Renders every page, dropping each; the most heap retained at the checkpoints. */
    static long[] render(byte[] pdf) throws Exception {
        DocumentLimits limits = DocumentLimits.defaults().withDpi(100, 72);
        long before = retained();
        long most = 0;
        int rendered = 0;
        try (DocumentPages doc = DocumentPages.open(pdf, limits)) {
            for (Iterator<Page> it = doc.pages(PageSelection.all()); it.hasNext(); ) {
                Page p = it.next();
                assertThat(p.ok()).isTrue();
                rendered++;
                if (rendered % 50 == 0 || !it.hasNext()) {
                    most = Math.max(most, retained() - before);
                }
            }
        }
        return new long[] {most, rendered};
    }

    @Test
    void heapIsFlatFromOneTo500Pages() throws Exception {
        byte[] one = pdf(1);
        byte[] many = pdf(PAGES);
        render(one); // warm up: classes, fonts, the renderer's static caches
        long[] single = render(one);
        long[] all = render(many);
        assertThat(all[1]).isEqualTo(PAGES);
        System.out.printf("DocumentMemoryTest: %d-byte 1-page PDF retains %d KB while rendering; %d-byte %d-page PDF"
                + " retains at most %d KB (%d bytes a page); a rendered page is %d KB%n", one.length, single[0] / 1024,
                many.length, PAGES, all[0] / 1024, (all[0] - single[0]) / PAGES, 827L * 1169 * 4 / 1024);
        // the document's own bytes are held while it is read: allowed on top of the per-page margin
        assertThat(all[0] - single[0]).as("heap retained beyond a 1-page document")
                .isLessThan(many.length + PAGES * BYTES_PER_PAGE);
    }
}
