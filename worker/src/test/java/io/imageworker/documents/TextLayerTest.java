package io.imageworker.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;

class TextLayerTest {

    /** Two lines at known places on a Letter page (612 x 792 points), Helvetica 20 pt. */
    static byte[] twoLines() throws Exception {
        try (PDDocument d = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            d.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                cs.beginText();
                cs.setFont(TestDocuments.HELVETICA, 20);
                cs.newLineAtOffset(100, 692); // baseline 100 points below the top
                cs.showText("Total due 1,250.00");
                cs.newLineAtOffset(0, -40);
                cs.showText("Thank you");
                cs.endText();
            }
            return TestDocuments.save(d);
        }
    }

    @Test
    void wordsComeWithTheirBoxesInThePixelsOfTheRenderedPage() throws Exception {
        try (DocumentPages doc = DocumentPages.open(twoLines(), DocumentLimits.defaults())) {
            TextLayer.Text text = doc.textLayer(1);
            assertThat(text.text()).isEqualTo("Total due 1,250.00\nThank you");
            assertThat(text.sane()).isTrue();
            List<TextLayer.Word> words = text.words();
            assertThat(words).extracting(TextLayer.Word::line).containsExactly(0, 0, 0, 1, 1);
            double px = 300 / 72.0; // pixels per point at 300 dpi
            TextLayer.Word total = words.get(0);
            assertThat(total.left()).isCloseTo((int) (100 * px), org.assertj.core.data.Offset.offset(3));
            // baseline at 100 pt from the top: the word's box ends there and rises by about a capital's height
            assertThat(total.top() + total.height()).isCloseTo((int) (100 * px), org.assertj.core.data.Offset.offset(6));
            assertThat(total.height()).isBetween((int) (10 * px), (int) (20 * px));
            // Helvetica's "Total" is 2.223 em wide (advances T 611, o 556, t 278, a 556, l 222 thousandths)
            assertThat(total.width()).isCloseTo((int) (2.223 * 20 * px), org.assertj.core.data.Offset.offset(6));
            TextLayer.Word thank = words.get(3);
            assertThat(thank.text()).isEqualTo("Thank");
            assertThat(thank.top() + thank.height()).isCloseTo((int) (140 * px), org.assertj.core.data.Offset.offset(6));
            // the box is where the renderer drew the ink
            Page page = doc.page(1);
            assertThat(DocumentPagesTest.darkPixels(page.image().getSubimage(total.left(), total.top(), total.width(),
                    total.height()))).isGreaterThan(1000);
        }
    }

    @Test
    void boxesFollowTheRenderScale() throws Exception {
        try (DocumentPages doc = DocumentPages.open(twoLines(), DocumentLimits.defaults().withDpi(72, 72))) {
            TextLayer.Word total = doc.textLayer(1).words().get(0);
            assertThat(total.left()).isCloseTo(100, org.assertj.core.data.Offset.offset(1));
            assertThat(total.top() + total.height()).isCloseTo(100, org.assertj.core.data.Offset.offset(2));
        }
    }

    @Test
    void aPageWithoutTextOrWithGarbageIsNotSane() throws Exception {
        try (PDDocument d = new PDDocument()) {
            d.addPage(new PDPage(PDRectangle.A4));
            try (DocumentPages doc = DocumentPages.open(TestDocuments.save(d), DocumentLimits.defaults())) {
                TextLayer.Text text = doc.textLayer(1);
                assertThat(text.words()).isEmpty();
                assertThat(text.insanity()).isEqualTo("the page has no text layer");
            }
        }
        assertThat(TextLayer.judge("Invoice 2026-12-07, total 1,250.00 EUR")).isNull();
        assertThat(TextLayer.judge("\uFFFD\uFFFD\uFFFD a \uFFFD")).contains("unmapped or unprintable");
        assertThat(TextLayer.judge("\uE001\uE002\uE003 word")).contains("unmapped or unprintable");
        assertThat(TextLayer.judge("\u0001\u0002\u0003\u0004 ab")).contains("unmapped or unprintable");
        assertThat(TextLayer.judge("•••• ---- ||||| a")).contains("letters or digits");
        assertThat(TextLayer.judge("   \n ")).isEqualTo("the page has no text layer");
    }
}
