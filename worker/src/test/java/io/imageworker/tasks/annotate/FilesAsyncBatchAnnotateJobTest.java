package io.imageworker.tasks.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.documents.TestDocuments;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;

/**
 * Cloud Vision {@code files:asyncBatchAnnotate} bodies sent with a plain Kafka client, through the
 * real broker, object store and worker with the bundled models: every page of each request's document
 * answered under that request's own destination, in Cloud Vision's output files.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class FilesAsyncBatchAnnotateJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(300);

    static final String[] PDF_LINES = {"Alpha invoice 101", "Bravo receipt 202", "Charlie order 303"};
    static final String[] TIFF_LINES = {"Delta contract 404", "Echo letter 505"};

    /**
     * Three pages, the second 200 x 200 inches (14,400 points, PDF's largest): over the page pixel limit
     * even at the lowest resolution allowed, so that page fails with page-too-large before it is drawn.
     */
    static byte[] pdfWithPageBomb() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (float side : new float[] {144, 14_400, 144}) {
                PDPage page = new PDPage(new PDRectangle(side, side));
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.addRect(10, 10, 50, 50);
                    cs.fill();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** A white {@code w} x {@code h} page with {@code label} in black. */
    static BufferedImage scan(int w, int h, String label) {
        BufferedImage page = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 32));
        g.drawString(label, 20, h / 2);
        g.dispose();
        return page;
    }

    /** One request of a files:asyncBatchAnnotate body. */
    static String request(String uri, String mimeType, String features, String destination, Integer batchSize) {
        return "{\"inputConfig\":{\"gcsSource\":{\"uri\":\"" + uri + "\"}" + (mimeType == null ? "" : ",\"mimeType\":\""
                + mimeType + "\"") + "},\"features\":" + features + ",\"outputConfig\":{\"gcsDestination\":{\"uri\":\""
                + destination + "\"}" + (batchSize == null ? "" : ",\"batchSize\":" + batchSize) + "}}";
    }

    static JsonNode read(String uri) throws Exception {
        return EventLog.JSON.readTree(store.read(S3Location.parse(uri), 20_000_000));
    }

    /** The page's text, lower case without spaces (the reader may split or join words differently). */
    static String text(JsonNode response) {
        return response.path("fullTextAnnotation").path("text").asText().replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    }

    @Test
    void aPdfAndATiffAreAnsweredPageByPageInCloudVisionOutputFilesUnderEachRequestsDestination() throws Exception {
        String jobId = "vision-files-" + UUID.randomUUID();
        String pdf = upload(jobId + "/three-pages.pdf", TestDocuments.linePdf(PDF_LINES));
        String tiff = upload(jobId + "/two-pages.tif", TestDocuments.lineTiff(TIFF_LINES));
        String pdfOut = "s3://results/jobs/" + jobId + "-pdf/";
        String tiffOut = "s3://results/jobs/" + jobId + "-tiff/";
        String body = "{\"requests\":[" + request(pdf, "application/pdf", "[{\"type\":\"DOCUMENT_TEXT_DETECTION\"}]", pdfOut, 2)
                + "," + request(tiff, "image/tiff", "[{\"type\":\"TEXT_DETECTION\"},{\"type\":\"IMAGE_PROPERTIES\",\"maxResults\":2}]",
                tiffOut, null) + "],\"labels\":{\"team\":\"docs\"}}";
        assertThat(SCHEMAS.violations(EventSchemas.Contract.VISION_FILES_ASYNC_BATCH, EventLog.JSON.readTree(body))).isEmpty();
        events.produce("image-jobs", jobId, body);

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("task").asText()).isEqualTo("annotate");
        assertThat(result.path("metadata").path("team").asText()).isEqualTo("docs");
        // one item per page, in page order
        assertThat(result.path("items")).hasSize(PDF_LINES.length + TIFF_LINES.length);
        JsonNode artifacts = result.path("artifacts");
        assertThat(artifacts.path("requests/0/output-1-to-2").asText()).isEqualTo(pdfOut + "output-1-to-2.json");
        assertThat(artifacts.path("requests/0/output-3-to-3").asText()).isEqualTo(pdfOut + "output-3-to-3.json");
        assertThat(artifacts.path("requests/1/output-1-to-2").asText()).isEqualTo(tiffOut + "output-1-to-2.json");
        // each destination holds its own request's files and nothing else
        assertThat(store.list(S3Location.parse(pdfOut), null, 100).objects()).hasSize(2);
        assertThat(store.list(S3Location.parse(tiffOut), null, 100).objects()).hasSize(1);

        List<JsonNode> pdfPages = new ArrayList<>();
        for (String file : List.of("output-1-to-2.json", "output-3-to-3.json")) {
            JsonNode out = read(pdfOut + file);
            // an AnnotateFileResponse: the request's inputConfig, then its pages' responses
            assertThat(out.fieldNames()).toIterable().containsExactly("inputConfig", "responses");
            assertThat(out.path("inputConfig").path("gcsSource").path("uri").asText()).isEqualTo(pdf);
            assertThat(out.path("inputConfig").path("mimeType").asText()).isEqualTo("application/pdf");
            assertThat(out.path("responses")).hasSize(file.startsWith("output-1") ? 2 : 1);
            out.path("responses").forEach(pdfPages::add);
        }
        for (int i = 0; i < PDF_LINES.length; i++) {
            JsonNode page = pdfPages.get(i);
            assertThat(page.path("context").path("uri").asText()).isEqualTo(pdf);
            assertThat(page.path("context").path("pageNumber").asInt()).isEqualTo(i + 1);
            assertThat(page.has("error")).as(page.toString()).isFalse();
            String[] words = PDF_LINES[i].toLowerCase(Locale.ROOT).split(" ");
            assertThat(text(page)).as(page.toString()).contains(words[0]).contains(words[2]);
            // DOCUMENT_TEXT_DETECTION's hierarchy, a document page's boxes normalised to the page as Cloud Vision gives them
            JsonNode word = page.path("fullTextAnnotation").path("pages").path(0).path("blocks").path(0).path("paragraphs")
                    .path(0).path("words").path(0);
            assertThat(word.path("symbols").size()).as(page.toString()).isPositive();
            assertThat(word.path("boundingBox").path("normalizedVertices")).as(word.toString()).hasSize(4);
            word.path("boundingBox").path("normalizedVertices").forEach(v -> {
                assertThat(v.path("x").asDouble()).isBetween(0.0, 1.0);
                assertThat(v.path("y").asDouble()).isBetween(0.0, 1.0);
            });
            // a PDF page's size in points, as Cloud Vision gives it: the 360 x 120 point pages of linePdf
            JsonNode size = page.path("fullTextAnnotation").path("pages").path(0);
            assertThat(size.path("width").asInt()).isEqualTo(360);
            assertThat(size.path("height").asInt()).isEqualTo(120);
            // the worker's own fields stay out of Cloud Vision's responses
            assertThat(page.has("page")).isFalse();
            assertThat(page.has("dpi")).isFalse();
            assertThat(page.has("index")).isFalse();
        }

        JsonNode out = read(tiffOut + "output-1-to-2.json");
        assertThat(out.path("inputConfig").path("mimeType").asText()).isEqualTo("image/tiff");
        JsonNode tiffPages = out.path("responses");
        assertThat(tiffPages).hasSize(TIFF_LINES.length);
        for (int i = 0; i < TIFF_LINES.length; i++) {
            JsonNode page = tiffPages.get(i);
            assertThat(page.path("context").path("uri").asText()).isEqualTo(tiff);
            assertThat(page.path("context").path("pageNumber").asInt()).isEqualTo(i + 1);
            String[] words = TIFF_LINES[i].toLowerCase(Locale.ROOT).split(" ");
            assertThat(text(page)).as(page.toString()).contains(words[0]).contains(words[2]);
            assertThat(page.path("imagePropertiesAnnotation").path("dominantColors").path("colors")).hasSize(2);
            // a TIFF page's size in pixels, as Cloud Vision gives it: lineTiff's 1200 x 300 pages
            JsonNode size = page.path("fullTextAnnotation").path("pages").path(0);
            assertThat(size.path("width").asInt()).isEqualTo(1200);
            assertThat(size.path("height").asInt()).isEqualTo(300);
        }
    }

    /**
     * A document that is missing, one whose bytes are not its declared type, one of a type Cloud Vision
     * does not read and a damaged one each fail alone, in their own output file; a page over the limits
     * fails alone in its document's file; a long TIFF beside them is split into files of batchSize pages
     * and reports its pages as progress events.
     */
    @Test
    void unreadableDocumentsFailAloneAndALongOneIsSplitByBatchSizeWithPageProgress() throws Exception {
        String jobId = "vision-files-bad-" + UUID.randomUUID();
        String missing = "s3://images/" + jobId + "/nowhere.pdf";
        String notPdf = upload(jobId + "/really-a-tiff.pdf", TestDocuments.lineTiff("Foxtrot"));
        String png = upload(jobId + "/scan.png", TestDocuments.lineTiff("Golf"));
        int pages = 12;
        List<BufferedImage> scans = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            scans.add(scan(400, 200, "page " + (p + 1)));
        }
        String longTiff = upload(jobId + "/twelve-pages.tif", TestDocuments.tiff(scans, "LZW"));
        String damaged = upload(jobId + "/damaged.pdf", "%PDF-1.7\n%%EOF garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String bomb = upload(jobId + "/page-bomb.pdf", pdfWithPageBomb());
        String features = "[{\"type\":\"IMAGE_PROPERTIES\",\"maxResults\":1}]";
        String out = "s3://results/jobs/" + jobId + "/";
        String body = "{\"requests\":[" + request(missing, "application/pdf", features, out + "missing/", null) + ","
                + request(notPdf, "application/pdf", features, out + "not-pdf/", null) + ","
                + request(png, "image/png", features, out + "png/", null) + ","
                + request(longTiff, "image/tiff", features, out + "long/", 5) + ","
                + request(damaged, "application/pdf", features, out + "damaged/", null) + ","
                + request(bomb, "application/pdf", features, out + "bomb/", null) + "]}";
        events.produce("image-jobs", jobId, body);

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("partial");
        // four unread documents (one item each), the long one's pages and the page bomb's three
        assertThat(result.path("items")).hasSize(4 + pages + 3);

        JsonNode gone = read(out + "missing/output-1-to-1.json");
        assertThat(gone.path("error").path("code").asInt()).as(gone.toString()).isEqualTo(5);
        assertThat(gone.path("responses").get(0).path("error").path("code").asInt()).isEqualTo(5);
        assertThat(gone.path("responses").get(0).path("error").path("message").asText()).contains("nowhere.pdf");
        assertThat(gone.path("responses").get(0).path("context").path("uri").asText()).isEqualTo(missing);
        JsonNode mismatch = read(out + "not-pdf/output-1-to-1.json");
        assertThat(mismatch.path("error").path("code").asInt()).isEqualTo(3);
        assertThat(mismatch.path("error").path("message").asText()).contains("application/pdf").contains("image/tiff");
        JsonNode unknown = read(out + "png/output-1-to-1.json");
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(3);
        assertThat(unknown.path("error").path("message").asText()).contains("image/png");

        JsonNode broken = read(out + "damaged/output-1-to-1.json");
        assertThat(broken.path("error").path("code").asInt()).isEqualTo(3);
        assertThat(broken.path("error").path("message").asText()).contains("damaged");
        // a page that fails fails alone, its status in its own response; the pages beside it stand
        JsonNode bombed = read(out + "bomb/output-1-to-3.json");
        assertThat(bombed.has("error")).isFalse();
        JsonNode bombPages = bombed.path("responses");
        assertThat(bombPages).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode r = bombPages.get(i);
            assertThat(r.path("context").path("pageNumber").asInt()).isEqualTo(i + 1);
            assertThat(r.path("context").path("uri").asText()).isEqualTo(bomb);
            assertThat(r.has("error")).as(r.toString()).isEqualTo(i == 1);
            assertThat(r.has("imagePropertiesAnnotation")).as(r.toString()).isEqualTo(i != 1);
        }
        assertThat(bombPages.get(1).path("error").path("code").asInt()).isEqualTo(3);
        assertThat(bombPages.get(1).path("error").path("message").asText()).contains("page 2");

        // batchSize 5 of 12 pages: Cloud Vision's names, the last file shorter
        int page = 0;
        for (String file : List.of("output-1-to-5.json", "output-6-to-10.json", "output-11-to-12.json")) {
            assertThat(result.path("artifacts").path("requests/3/" + file.replace(".json", "")).asText())
                    .isEqualTo(out + "long/" + file);
            for (JsonNode r : read(out + "long/" + file).path("responses")) {
                assertThat(r.path("context").path("pageNumber").asInt()).isEqualTo(++page);
                assertThat(r.path("imagePropertiesAnnotation").path("dominantColors").path("colors")).hasSize(1);
            }
        }
        assertThat(page).isEqualTo(pages);

        // one job of 6 items: progress events say the pages done of those known (the long TIFF's 12 and the page bomb's 3)
        ConsumerRecord<byte[], byte[]> last = events.await("image-progress", r -> jobId.equals(EventLog.key(r))
                && EventLog.json(r).path("done").asInt() == 6, WAIT);
        JsonNode progress = EventLog.json(last);
        assertValid(EventSchemas.Contract.PROGRESS, progress);
        assertThat(progress.path("pages").path("done").asInt()).isEqualTo(pages + 3);
        assertThat(progress.path("pages").path("total").asInt()).isEqualTo(pages + 3);
        assertThat(progress.path("total").asInt()).isEqualTo(6);
        List<JsonNode> all = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : events.on("image-progress")) {
            if (jobId.equals(EventLog.key(r))) {
                all.add(EventLog.json(r));
            }
        }
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).path("pages").path("done").asInt())
                    .isGreaterThanOrEqualTo(all.get(i - 1).path("pages").path("done").asInt());
        }
    }

    @Test
    void aGsSourceIsDeadLetteredWithItsReason() {
        String jobId = "vision-files-gs-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, "{\"requests\":[" + request("gs://bucket/doc.pdf", "application/pdf",
                "[{\"type\":\"DOCUMENT_TEXT_DETECTION\"}]", "s3://results/jobs/" + jobId + "/", null) + "]}");

        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> jobId.equals(EventLog.key(r)), WAIT);

        JsonNode envelope = EventLog.headers(dead);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("invalid-job");
        assertThat(envelope.path("dlq-reason").asText()).contains("requests/0/inputConfig/gcsSource/uri")
                .contains("gs:// objects are not read");
        assertThat(events.result(jobId, WAIT).path("status").asText()).isEqualTo("rejected");
    }

    /** Each request's destination is checked against the allowed output locations, as an images request's. */
    @Test
    void aDestinationOutsideTheAllowedOutputsRejectsTheJob() throws Exception {
        String jobId = "vision-files-out-" + UUID.randomUUID();
        String pdf = upload(jobId + "/one.pdf", TestDocuments.linePdf("Hotel"));
        events.produce("image-jobs", jobId, "{\"requests\":[" + request(pdf, "application/pdf", "[{\"type\":\"TEXT_DETECTION\"}]",
                "s3://results/jobs/" + jobId + "-first/", null) + "," + request(pdf, "application/pdf", "[{\"type\":\"TEXT_DETECTION\"}]",
                "s3://images/" + jobId + "/out/", null) + "]}");

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("rejected");
        assertThat(result.path("error").path("code").asText()).isEqualTo("not-allowed");
        assertThat(result.path("error").path("message").asText()).contains("requests/1/outputConfig.gcsDestination")
                .contains("outside the allowed output locations");
        // refused before anything ran: not even the allowed request's destination has a file
        assertThat(store.list(S3Location.parse("s3://results/jobs/" + jobId + "-first/"), null, 10).objects()).isEmpty();
    }
}
