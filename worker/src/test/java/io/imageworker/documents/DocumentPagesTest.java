package io.imageworker.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;

class DocumentPagesTest {

    static final DocumentLimits LIMITS = DocumentLimits.defaults();

    static List<Page> read(DocumentPages doc, PageSelection selection) throws DocumentException {
        List<Page> out = new ArrayList<>();
        for (Iterator<Page> it = doc.pages(selection); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    static List<String> lines(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("Page " + i);
        }
        return out;
    }

    @Test
    void rendersPdfPagesAt300DpiOneByOne() throws Exception {
        try (DocumentPages doc = DocumentPages.open(TestDocuments.pdf(lines(3)), LIMITS)) {
            assertThat(doc.format()).isEqualTo(DocumentFormat.PDF);
            assertThat(doc.pageCount()).isEqualTo(3);
            List<Page> pages = read(doc, PageSelection.all());
            assertThat(pages).extracting(Page::number).containsExactly(1, 2, 3);
            for (Page p : pages) {
                assertThat(p.ok()).isTrue();
                // A4 is 595.28 x 841.89 points: 2480 x 3507 pixels at 300 dpi
                assertThat(p.width()).isEqualTo(2480);
                assertThat(p.height()).isEqualTo(3507);
                assertThat(p.dpi()).isEqualTo(300.0);
                assertThat(darkPixels(p.image())).as("the text is drawn").isGreaterThan(500);
            }
        }
    }

    @Test
    void aFontThePdfDoesNotEmbedIsDrawnWithTheShippedFallbackWithoutScanningTheMachine() throws Exception {
        try (PDDocument d = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A6);
            d.addPage(page);
            // Times-Roman by name only: no font file in the PDF
            var times = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.TIMES_ROMAN);
            try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                cs.beginText();
                cs.setFont(times, 30);
                cs.newLineAtOffset(20, 200);
                cs.showText("Receipt");
                cs.endText();
            }
            byte[] pdf = TestDocuments.save(d);
            try (DocumentPages doc = DocumentPages.open(pdf, LIMITS)) {
                assertThat(FallbackFonts.installed()).isTrue();
                assertThat(darkPixels(doc.page(1).image())).isGreaterThan(2000);
                assertThat(doc.textLayer(1).text()).isEqualTo("Receipt");
            }
        }
    }

    @Test
    void pagesAreChosenAsCloudVisionSaysIt() throws Exception {
        try (DocumentPages doc = DocumentPages.open(TestDocuments.pdf(lines(8)), LIMITS.withDpi(72, 72))) {
            assertThat(read(doc, PageSelection.of(List.of()))).extracting(Page::number).containsExactly(1, 2, 3, 4, 5);
            assertThat(read(doc, PageSelection.of(List.of(-1, 2, 2, -8)))).extracting(Page::number).containsExactly(8, 2, 1);
            assertThat(read(doc, PageSelection.all())).hasSize(8);
            assertThatThrownBy(() -> doc.pages(PageSelection.of(List.of(9))))
                    .isInstanceOfSatisfying(DocumentException.class, e -> {
                        assertThat(e.code()).isEqualTo("bad-pages");
                        assertThat(e.getMessage()).contains("page 9 of a document of 8 pages");
                    });
            assertThatThrownBy(() -> doc.pages(PageSelection.of(List.of(0)))).hasMessageContaining("page 0");
            assertThatThrownBy(() -> doc.pages(PageSelection.of(List.of(-9)))).hasMessageContaining("page -9");
        }
    }

    @Test
    void documentLimitsAreCheckedBeforeRendering() throws Exception {
        byte[] pdf = TestDocuments.pdf(lines(4));
        assertCode(() -> DocumentPages.open(pdf, LIMITS.withPages(3, LIMITS.maxPagePixels())), "too-many-pages",
                "4 pages, more than the limit of 3");
        DocumentLimits small = new DocumentLimits(pdf.length - 1, 10, 1_000_000, 1_000_000, 300, 72, Duration.ofSeconds(5));
        assertCode(() -> DocumentPages.open(pdf, small), "document-too-large", "more than the limit of " + (pdf.length - 1));
        assertCode(() -> DocumentPages.open("hello, not a document".getBytes(), LIMITS), "not-a-document", "not a PDF, TIFF or GIF");
        assertCode(() -> DocumentPages.open(new byte[0], LIMITS), "not-a-document", "not a PDF");
    }

    @Test
    void aLargePageIsRenderedAtTheResolutionThatFitsAndAPageBombFailsAlone() throws Exception {
        try (PDDocument d = new PDDocument()) {
            d.addPage(new PDPage(PDRectangle.A4));
            d.addPage(new PDPage(PDRectangle.A0)); // 33.1 x 46.8 in: 139 Mpx at 300 dpi
            PDPage bomb = new PDPage(new PDRectangle(14400, 14400)); // 200 x 200 inches, times a user unit of 75
            bomb.getCOSObject().setItem(COSName.getPDFName("UserUnit"), new COSFloat(75f));
            d.addPage(bomb);
            d.addPage(new PDPage(PDRectangle.LETTER));
            try (DocumentPages doc = DocumentPages.open(TestDocuments.save(d), LIMITS)) {
                List<Page> pages = read(doc, PageSelection.all());
                assertThat(pages.get(0).dpi()).isEqualTo(300.0);
                Page a0 = pages.get(1);
                assertThat(a0.ok()).isTrue();
                assertThat((long) a0.width() * a0.height()).isLessThanOrEqualTo(LIMITS.maxPagePixels());
                assertThat(a0.dpi()).isBetween(150.0, 170.0);
                Page b = pages.get(2);
                assertThat(b.ok()).isFalse();
                assertThat(b.error().code()).isEqualTo("page-too-large");
                assertThat(b.error().getMessage()).contains("page 3", "72 dpi", "40000000 pixels");
                assertThat(pages.get(3).ok()).as("the page after the bomb").isTrue();
                assertThat(pages.get(3).width()).isEqualTo(2550); // 8.5 in at 300 dpi
            }
        }
    }

    @Test
    void aPageThatRendersForeverIsStoppedAtItsBudgetAndTheNextRenders() throws Exception {
        try (PDDocument d = new PDDocument()) {
            PDPage slow = new PDPage(PDRectangle.A4);
            d.addPage(slow);
            try (PDPageContentStream cs = new PDPageContentStream(d, slow)) {
                // 4 million tiny strokes: seconds of work in 40 KB of compressed content
                StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    chunk.append("10 10 m 20 20 l S\n");
                }
                byte[] bytes = chunk.toString().getBytes();
                for (int i = 0; i < 4000; i++) {
                    cs.appendRawCommands(bytes);
                }
            }
            d.addPage(new PDPage(PDRectangle.A4));
            byte[] pdf = TestDocuments.save(d);
            DocumentLimits budget = LIMITS.withPageTimeout(Duration.ofMillis(300));
            java.util.Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
            try (DocumentPages doc = DocumentPages.open(pdf, budget)) {
                long start = System.nanoTime();
                Page p = doc.page(1);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(p.ok()).isFalse();
                assertThat(p.error().code()).isEqualTo("page-timeout");
                assertThat(p.error().getMessage()).contains("page 1", "time budget of 300 ms");
                assertThat(ms).as("stopped soon after the budget").isLessThan(3000);
                assertThat(doc.page(2).ok()).isTrue();
                assertThatThrownBy(() -> doc.textLayer(1)).isInstanceOfSatisfying(DocumentException.class,
                        e -> assertThat(e.code()).isEqualTo("page-timeout"));
            }
            // rendering ran on this thread and stopped: nothing is left running
            assertThat(Thread.getAllStackTraces().keySet()).as("threads left running PDFBox code")
                    .noneMatch(t -> !threadsBefore.contains(t) && java.util.Arrays.stream(t.getStackTrace())
                            .anyMatch(f -> f.getClassName().startsWith("org.apache.pdfbox")));
        }
    }

    @Test
    void anImageBombInsideAPageFailsThatPageBeforeItIsDecoded() throws Exception {
        try (PDDocument d = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A6);
            d.addPage(page);
            var image = d.getDocument().createCOSStream();
            image.setItem(COSName.TYPE, COSName.XOBJECT);
            image.setItem(COSName.SUBTYPE, COSName.IMAGE);
            image.setInt(COSName.WIDTH, 100_000); // 10 billion pixels declared, no data
            image.setInt(COSName.HEIGHT, 100_000);
            image.setInt(COSName.BITS_PER_COMPONENT, 1);
            image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
            var xobjects = new org.apache.pdfbox.cos.COSDictionary();
            xobjects.setItem(COSName.getPDFName("Im1"), image);
            var resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.getCOSObject().setItem(COSName.XOBJECT, xobjects);
            page.setResources(resources);
            try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                cs.appendRawCommands("q 200 0 0 200 10 10 cm /Im1 Do Q\n".getBytes());
            }
            d.addPage(new PDPage(PDRectangle.A6));
            try (DocumentPages doc = DocumentPages.open(TestDocuments.save(d), LIMITS)) {
                Page bomb = doc.page(1);
                assertThat(bomb.ok()).isFalse();
                assertThat(bomb.error().code()).isEqualTo("too-many-pixels");
                assertThat(bomb.error().getMessage()).contains("page 1", "100000x100000", "limit of 100000000");
                assertThat(doc.page(2).ok()).isTrue();
            }
        }
    }

    @Test
    void aPdfThatNeedsAPasswordIsRefusedAndOneWithPermissionsOnlyOpens() throws Exception {
        assertCode(() -> DocumentPages.open(encrypted("user-secret"), LIMITS), "encrypted-document", "needs a password");
        try (DocumentPages doc = DocumentPages.open(encrypted(""), LIMITS)) {
            assertThat(doc.page(1).ok()).isTrue();
        }
    }

    static byte[] encrypted(String userPassword) throws IOException {
        try (PDDocument d = new PDDocument()) {
            d.addPage(new PDPage(PDRectangle.A6));
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword, new AccessPermission());
            policy.setEncryptionKeyLength(128);
            d.protect(policy);
            return TestDocuments.save(d);
        }
    }

    @Test
    void damagedPdfsFailClearly() throws Exception {
        assertCode(() -> DocumentPages.open("%PDF-1.7\n%%EOF garbage".getBytes(), LIMITS), "corrupt-document", "PDF");
        byte[] pdf = TestDocuments.pdf(lines(2));
        byte[] truncated = Arrays.copyOf(pdf, pdf.length / 3);
        // PDFBox repairs what it can (it rebuilds a lost cross-reference table); what it cannot is the document's error
        try (DocumentPages doc = DocumentPages.open(truncated, LIMITS)) {
            assertThat(doc.pageCount()).isGreaterThanOrEqualTo(1);
            read(doc, PageSelection.all()).forEach(p -> assertThat(p.ok() || p.error().code().equals("corrupt-page")).isTrue());
        } catch (DocumentException e) {
            assertThat(e.code()).isEqualTo("corrupt-document");
        }
    }

    @Test
    void multiPageTiffsInEveryCompressionAreReadPageByPage() throws Exception {
        for (String compression : List.of("CCITT T.6", "CCITT T.4", "LZW", "Deflate", "JPEG", "PackBits")) {
            int type = compression.startsWith("CCITT") ? BufferedImage.TYPE_BYTE_BINARY : BufferedImage.TYPE_INT_RGB;
            if (compression.equals("JPEG")) {
                type = BufferedImage.TYPE_3BYTE_BGR;
            }
            List<BufferedImage> pages = List.of(TestDocuments.page(1728, 2200, "one", type),
                    TestDocuments.page(1728, 1100, "two", type), TestDocuments.page(800, 600, "three", type));
            byte[] tiff = TestDocuments.tiff(pages, compression);
            try (DocumentPages doc = DocumentPages.open(tiff, LIMITS)) {
                assertThat(doc.format()).as(compression).isEqualTo(DocumentFormat.TIFF);
                assertThat(doc.pageCount()).as(compression).isEqualTo(3);
                List<Page> read = read(doc, PageSelection.all());
                assertThat(read).as(compression).allMatch(Page::ok);
                assertThat(read).extracting(Page::width).as(compression).containsExactly(1728, 1728, 800);
                assertThat(read).extracting(Page::height).as(compression).containsExactly(2200, 1100, 600);
                for (int i = 0; i < 3; i++) {
                    assertThat(darkPixels(read.get(i).image())).as(compression + " page " + (i + 1))
                            .isEqualTo(darkPixels(pages.get(i)));
                }
            }
        }
    }

    @Test
    void aTiffPageIsTurnedAsItsOwnOrientationTagSays() throws Exception {
        int type = BufferedImage.TYPE_BYTE_BINARY;
        BufferedImage upright = TestDocuments.page(400, 300, "a", type);
        BufferedImage stored = TestDocuments.page(300, 200, "b", type);
        byte[] tiff = TestDocuments.tiff(List.of(upright, stored), "CCITT T.6", new int[] {0, 6});
        try (DocumentPages doc = DocumentPages.open(tiff, LIMITS)) {
            Page first = doc.page(1);
            assertThat(first.width()).isEqualTo(400);
            Page turned = doc.page(2);
            // 6: the stored pixels are turned a quarter clockwise to show the page
            assertThat(turned.width()).isEqualTo(200);
            assertThat(turned.height()).isEqualTo(300);
            assertThat(turned.image().getRGB(199 - 50, 20)).isEqualTo(stored.getRGB(20, 50));
            assertThat(darkPixels(turned.image())).isEqualTo(darkPixels(stored));
        }
    }

    @Test
    void aStandardResolutionFaxPageIsShownWithSquarePixels() throws Exception {
        // 204 x 98 dpi (ITU-T T.4 standard resolution): a 1-inch black square is stored 204 x 98 pixels
        BufferedImage stored = new BufferedImage(408, 196, BufferedImage.TYPE_BYTE_BINARY);
        var g = stored.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 408, 196);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(102, 49, 204, 98);
        g.dispose();
        byte[] standard = TestDocuments.tiff(List.of(stored, stored), "CCITT T.4", new int[] {0, 6}, new int[] {204, 98});
        byte[] fine = TestDocuments.tiff(List.of(stored, stored), "CCITT T.4", new int[2], new int[] {204, 196});
        try (DocumentPages doc = DocumentPages.open(standard, LIMITS)) {
            Page page = doc.page(1);
            // rows scaled by 204 / 98 as fax viewers show it: the square is square again
            assertThat(page.width()).isEqualTo(408);
            assertThat(page.height()).isEqualTo((int) Math.round(196 * 204 / 98.0));
            assertThat(page.image().getHeight()).isEqualTo(page.height());
            int[] ink = inkBox(page.image());
            assertThat((double) ink[3] / ink[2]).as("ink box height / width").isCloseTo(1.0, within(0.03));
            Page turned = doc.page(2); // orientation 6 after the stretch: the sides swap
            assertThat(turned.width()).isEqualTo(page.height());
            assertThat(turned.height()).isEqualTo(408);
        }
        try (DocumentPages doc = DocumentPages.open(fine, LIMITS)) {
            // fine fax (204 x 196) is within 5% of square: shown as stored
            assertThat(doc.page(1).height()).isEqualTo(196);
        }
    }

    @Test
    void aFaxPageComesWithoutItsSpecksAndWithItsMarks() throws Exception {
        BufferedImage stored = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_BINARY);
        var g = stored.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 200, 100);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(20, 20, 30, 4); // a stroke
        g.fillRect(60, 40, 3, 3); // a full stop
        g.fillRect(150, 70, 1, 1); // a speck
        g.fillRect(170, 30, 2, 1); // a pair of specks
        g.dispose();
        for (String compression : List.of("CCITT T.6", "CCITT T.4", "LZW")) {
            try (DocumentPages doc = DocumentPages.open(TestDocuments.tiff(List.of(stored, stored), compression), LIMITS)) {
                BufferedImage page = doc.page(2).image();
                assertThat(darkPixels(page)).as(compression).isEqualTo(30 * 4 + 9);
                assertThat(page.getRGB(150, 70) & 0xff).as(compression).isEqualTo(255);
            }
        }
    }

    /** {x, y, width, height} of the dark pixels of {@code image}. */
    private static int[] inkBox(BufferedImage image) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xff) < 128) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    }

    @Test
    void aTiffPageOverThePixelLimitFailsAloneAndADamagedTiffFailsClearly() throws Exception {
        int type = BufferedImage.TYPE_BYTE_BINARY;
        byte[] tiff = TestDocuments.tiff(List.of(TestDocuments.page(400, 300, "a", type), TestDocuments.page(2000, 2000, "big", type),
                TestDocuments.page(300, 200, "c", type)), "CCITT T.6");
        try (DocumentPages doc = DocumentPages.open(tiff, LIMITS.withPages(10, 1_000_000))) {
            List<Page> pages = read(doc, PageSelection.all());
            assertThat(pages).extracting(Page::ok).containsExactly(true, false, true);
            assertThat(pages.get(1).error().code()).isEqualTo("too-many-pixels");
            assertThat(pages.get(1).error().getMessage()).contains("page 2", "2000x2000");
            assertThat(pages.get(1).width()).isEqualTo(2000);
        }
        assertCode(() -> DocumentPages.open(Arrays.copyOf(tiff, 6), LIMITS), "corrupt-document", "damaged");
        byte[] cut = Arrays.copyOf(tiff, tiff.length - 200);
        try (DocumentPages doc = DocumentPages.open(cut, LIMITS)) {
            read(doc, PageSelection.all()).stream().filter(p -> !p.ok())
                    .forEach(p -> assertThat(p.error().code()).isIn("corrupt-page", "too-many-pixels"));
        } catch (DocumentException e) {
            assertThat(e.code()).isEqualTo("corrupt-document");
        }
    }

    @Test
    void gifFramesArePages() throws Exception {
        int type = BufferedImage.TYPE_INT_RGB;
        List<BufferedImage> frames = List.of(TestDocuments.page(320, 200, "one", type), TestDocuments.page(320, 200, "two", type));
        try (DocumentPages doc = DocumentPages.open(TestDocuments.gif(frames), LIMITS)) {
            assertThat(doc.format()).isEqualTo(DocumentFormat.GIF);
            assertThat(doc.pageCount()).isEqualTo(2);
            List<Page> pages = read(doc, PageSelection.of(List.of(-1)));
            assertThat(pages).extracting(Page::number).containsExactly(2);
            assertThat(darkPixels(pages.get(0).image())).isEqualTo(darkPixels(frames.get(1)));
            assertThat(doc.textLayer(1).words()).isEmpty();
        }
    }

    @Test
    void aGifFrameThatStoresOnlyAChangeIsShownOverTheFramesBeforeIt() throws Exception {
        BufferedImage first = TestDocuments.page(320, 200, "one", BufferedImage.TYPE_INT_RGB);
        BufferedImage patch = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB); // black
        for (String disposal : List.of("none", "doNotDispose", "restoreToBackgroundColor")) {
            try (DocumentPages doc = DocumentPages.open(TestDocuments.gifWithPatch(first, patch, 200, 140, disposal), LIMITS)) {
                Page second = doc.page(2);
                assertThat(second.width()).isEqualTo(320);
                assertThat(second.height()).isEqualTo(200);
                assertThat(second.image().getRGB(250, 160) & 0xffffff).as(disposal).isZero();
                int textLeft = darkPixels(first.getSubimage(0, 0, 200, 200));
                int shownLeft = darkPixels(second.image().getSubimage(0, 0, 200, 200));
                if (disposal.equals("restoreToBackgroundColor")) {
                    assertThat(shownLeft).as("the first frame was cleared").isZero();
                } else {
                    assertThat(shownLeft).as(disposal + ": the first frame still shows").isEqualTo(textLeft);
                }
                // back to the first frame: composed again from the start
                assertThat(darkPixels(doc.page(1).image())).isEqualTo(darkPixels(first));
            }
        }
    }

    interface Opening {
        void run() throws Exception;
    }

    static void assertCode(Opening open, String code, String message) {
        assertThatThrownBy(open::run).isInstanceOfSatisfying(DocumentException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    static int darkPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int grey = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                if (grey < 128) {
                    n++;
                }
            }
        }
        return n;
    }
}
