package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.documents.TestDocuments;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/**
 * {@code text} jobs whose inputs are documents, through the real broker, object store and worker
 * with the bundled text models: every chosen page is an item with its number and its own text.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class DocumentJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(240);

    /** One line per page; the word and the number are what each page's item must read. */
    static final String[] PDF_LINES = {"Alpha invoice 101", "Bravo receipt 202", "Charlie order 303"};
    static final String[] TIFF_LINES = {"Delta contract 404", "Echo letter 505"};

    /** The item's text, lower case without spaces (the reader may split or join words differently). */
    static String read(JsonNode item) {
        return item.path("text").path("fullText").asText().replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    }

    @Test
    void everyPageOfAPdfAndATiffIsAnItemWithItsNumberAndItsText() throws Exception {
        String jobId = "documents-" + UUID.randomUUID();
        String pdf = upload(jobId + "/three-pages.pdf", TestDocuments.linePdf(PDF_LINES));
        String tiff = upload(jobId + "/two-pages.tif", TestDocuments.lineTiff(TIFF_LINES));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"text\",\"inputs\":[{\"uri\":\""
                + pdf + "\"},{\"uri\":\"" + tiff + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        JsonNode items = result.path("items");
        assertThat(items).as(result.toString()).hasSize(PDF_LINES.length + TIFF_LINES.length);
        List<String> expected = new ArrayList<>(List.of(PDF_LINES));
        expected.addAll(List.of(TIFF_LINES));
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            boolean inPdf = i < PDF_LINES.length;
            assertThat(item.path("status").asText()).as(item.toString()).isEqualTo("succeeded");
            assertThat(item.path("uri").asText()).isEqualTo(inPdf ? pdf : tiff);
            assertThat(item.path("index").asInt()).isEqualTo(inPdf ? 0 : 1);
            assertThat(item.path("page").asInt()).isEqualTo(inPdf ? i + 1 : i - PDF_LINES.length + 1);
            // a PDF page at 300 dpi (360 x 120 points), a TIFF page as stored
            // (PDFBox floors 120 pt x 300/72 to 499 pixels)
            assertThat(item.path("width").asInt()).isBetween(inPdf ? 1499 : 1200, inPdf ? 1500 : 1200);
            assertThat(item.path("height").asInt()).isBetween(inPdf ? 499 : 300, inPdf ? 500 : 300);
            String[] words = expected.get(i).toLowerCase(Locale.ROOT).split(" ");
            assertThat(read(item)).as(item.toString()).contains(words[0]).contains(words[2]);
        }
    }

    @Test
    void thePagesOptionChoosesPagesCloudVisionsWay() throws Exception {
        String jobId = "documents-pages-" + UUID.randomUUID();
        String pdf = upload(jobId + "/three-pages.pdf", TestDocuments.linePdf(PDF_LINES));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"text\",\"options\":{\"pages\":[-1,1]},"
                + "\"inputs\":[{\"uri\":\"" + pdf + "\"}]}");

        JsonNode items = events.result(jobId, WAIT).path("items");

        assertThat(items).as(items.toString()).hasSize(2);
        assertThat(items.get(0).path("page").asInt()).isEqualTo(3);
        assertThat(read(items.get(0))).as(items.toString()).contains("charlie");
        assertThat(items.get(1).path("page").asInt()).isEqualTo(1);
        assertThat(read(items.get(1))).as(items.toString()).contains("alpha");
    }

    @Test
    void aDamagedPdfFailsAsOneItemWithItsCode() throws Exception {
        String jobId = "documents-damaged-" + UUID.randomUUID();
        String bad = upload(jobId + "/damaged.pdf", "%PDF-1.7\n%%EOF garbage".getBytes());
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"text\",\"inputs\":[{\"uri\":\""
                + bad + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode items = result.path("items");
        assertThat(items).as(result.toString()).hasSize(1);
        assertThat(items.get(0).path("status").asText()).isEqualTo("failed");
        assertThat(items.get(0).path("error").path("code").asText()).isEqualTo("corrupt-document");
    }

    @Test
    void textLayerAutoTakesAPagesOwnTextAndReadsTheScannedPage() throws Exception {
        String jobId = "documents-layer-" + UUID.randomUUID();
        String pdf = upload(jobId + "/mixed.pdf", textThenScan(PDF_LINES[0], PDF_LINES[1], PDF_LINES[2]));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"text\",\"options\":{\"textLayer\":\"auto\","
                + "\"layout\":\"words\"},\"inputs\":[{\"uri\":\"" + pdf + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode items = result.path("items");
        assertThat(items).as(result.toString()).hasSize(3);
        for (int p = 0; p < 2; p++) {
            JsonNode text = items.get(p).path("text");
            // the document's own text: exact, with its words' boxes from the layer
            assertThat(text.path("source").asText()).as(items.get(p).toString()).isEqualTo("text-layer");
            assertThat(text.path("fullText").asText()).isEqualTo(PDF_LINES[p]);
            JsonNode line = text.path("blocks").get(0).path("lines").get(0);
            assertThat(line.path("words")).hasSize(3);
            JsonNode first = line.path("words").get(0);
            assertThat(first.path("text").asText()).isEqualTo(PDF_LINES[p].split(" ")[0]);
            // drawn from x = 24 pt, 100 px at 300 dpi
            assertThat(first.path("polygon").get(0).get(0).asDouble()).isBetween(95.0, 105.0);
            assertThat(items.get(p).path("artifacts").path("overlay").asText()).isNotEmpty();
        }
        // the scanned page has no text layer: read from its pixels
        assertThat(items.get(2).path("text").has("source")).isFalse();
        assertThat(read(items.get(2))).as(items.get(2).toString()).contains("charlie");
    }

    @Test
    void anUnknownTextLayerValueRejectsTheJob() throws Exception {
        String jobId = "documents-layer-bad-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"text\",\"options\":{\"textLayer\":\"always\"},"
                + "\"inputs\":[{\"uri\":\"s3://images/none.pdf\"}]}");

        JsonNode rejected = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, rejected);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("error").path("code").asText()).isEqualTo("invalid-job");
        assertThat(rejected.path("error").path("message").asText()).contains("textLayer");
    }

    /** Pages of PDF text (a text layer) for all but the last line, which is drawn into an image on the last page (a scan). */
    static byte[] textThenScan(String... lines) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < lines.length; i++) {
                PDPage page = new PDPage(new PDRectangle(360, 120));
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    if (i < lines.length - 1) {
                        cs.beginText();
                        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 28);
                        cs.newLineAtOffset(24, 48);
                        cs.showText(lines[i]);
                        cs.endText();
                    } else {
                        BufferedImage scan = new BufferedImage(1500, 500, BufferedImage.TYPE_INT_RGB);
                        Graphics2D g = scan.createGraphics();
                        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                        g.setColor(Color.WHITE);
                        g.fillRect(0, 0, 1500, 500);
                        g.setColor(Color.BLACK);
                        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 110));
                        g.drawString(lines[i], 100, 300);
                        g.dispose();
                        cs.drawImage(org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc, scan), 0, 0, 360, 120);
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
