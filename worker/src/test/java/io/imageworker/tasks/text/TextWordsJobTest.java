package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.SystemDeps;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Words with boxes through the real broker, object store and worker with the bundled text models:
 * a {@code text} job with {@code layout: words} on a rendered page whose words' ink boxes are known
 * (and on a PDF page), and an {@code annotate} job asking DOCUMENT_TEXT_DETECTION, answered with
 * Cloud Vision's hierarchy.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class TextWordsJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(240);
    static final List<String> LINES = List.of("Invoice 2041 paid in full", "Total due 1,234.56 EUR", "Thank you for your order");

    /** The page: three lines of 30 px DejaVu Sans, turned 3 degrees. */
    static WordBoxAccuracyTest.Page page() throws Exception {
        Font font = Font.createFont(Font.TRUETYPE_FONT, SystemDeps.font("DejaVuSans.ttf").toFile()).deriveFont(30f);
        return WordBoxAccuracyTest.render(font, LINES, Math.toRadians(3));
    }

    static byte[] png(WordBoxAccuracyTest.Page page) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(page.image(), "png", out);
        return out.toByteArray();
    }

    static Quad quad(JsonNode polygon) {
        double[] x = new double[4];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            x[i] = polygon.get(i).get(0).asDouble();
            y[i] = polygon.get(i).get(1).asDouble();
        }
        return new Quad(x, y);
    }

    /** True when {@code point} lies in the convex {@code q}. */
    static boolean inside(Quad q, double[] point) {
        return WordBoxAccuracyTest.area(q).contains(point[0], point[1]);
    }

    @Test
    void aTextJobWithLayoutWordsGivesEachWordABoxAroundItsInk() throws Exception {
        WordBoxAccuracyTest.Page page = page();
        String jobId = "text-words-" + UUID.randomUUID();
        String image = upload(jobId + "/page.png", png(page));
        String pdf = upload(jobId + "/one-page.pdf", io.imageworker.documents.TestDocuments.linePdf("Alpha invoice 101"));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"text\",\"options\":{\"layout\":\"words\"},"
                + "\"inputs\":[{\"uri\":\"" + image + "\"},{\"uri\":\"" + pdf + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        List<JsonNode> words = new ArrayList<>();
        for (JsonNode b : result.path("items").get(0).path("text").path("blocks")) {
            for (JsonNode l : b.path("lines")) {
                // the words are the line's text split at its spaces
                List<String> texts = new ArrayList<>();
                l.path("words").forEach(w -> texts.add(w.path("text").asText()));
                assertThat(String.join(" ", texts)).isEqualTo(l.path("text").asText());
                l.path("words").forEach(words::add);
            }
        }
        assertThat(words).hasSize(page.words().size());
        for (int i = 0; i < page.words().size(); i++) {
            Quad truth = page.boxes().get(i);
            JsonNode word = words.get(i);
            Quad box = quad(word.path("polygon"));
            assertThat(word.path("text").asText()).isEqualTo(page.words().get(i));
            assertThat(inside(box, truth.centre())).as("%s: its ink's centre inside %s", page.words().get(i), word).isTrue();
            assertThat(inside(truth, box.centre())).as("%s: the box's centre on its ink", page.words().get(i)).isTrue();
            assertThat(WordBoxAccuracyTest.iou(truth, box)).as("IoU of %s", page.words().get(i)).isGreaterThan(0.5);
            JsonNode symbols = word.path("symbols");
            assertThat(symbols).hasSize(page.words().get(i).length());
            for (JsonNode s : symbols) {
                assertThat(inside(box, quad(s.path("polygon")).centre())).as("symbol %s inside its word", s).isTrue();
            }
        }
        // a PDF page (1500 x 500 at 300 dpi) is read with words too
        JsonNode pdfItem = result.path("items").get(1);
        assertThat(pdfItem.path("page").asInt()).isEqualTo(1);
        JsonNode line = pdfItem.path("text").path("blocks").get(0).path("lines").get(0);
        assertThat(line.path("words").size()).as(line.toString()).isEqualTo(3);
        assertThat(line.path("words").get(2).path("polygon").get(0).get(0).asInt())
                .isGreaterThan(line.path("words").get(0).path("polygon").get(1).get(0).asInt());
    }

    @Test
    void documentTextDetectionAnswersWithPagesBlocksParagraphsWordsAndSymbols() throws Exception {
        WordBoxAccuracyTest.Page page = page();
        String jobId = "annotate-document-text-" + UUID.randomUUID();
        String image = upload(jobId + "/page.png", png(page));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"features\":[{\"type\":\"DOCUMENT_TEXT_DETECTION\"}],"
                + "\"inputs\":[{\"uri\":\"" + image + "\"}]}");

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        JsonNode item = result.path("items").get(0);
        assertThat(item.has("featureErrors")).as(item.toString()).isFalse();
        // textAnnotations: the whole text, then one per word with its box
        JsonNode ta = item.path("textAnnotations");
        assertThat(ta.get(0).path("description").asText().replace("\n\n", "\n")).isEqualTo(String.join("\n", LINES));
        assertThat(ta).hasSize(1 + page.words().size());
        for (int i = 0; i < page.words().size(); i++) {
            assertThat(ta.get(i + 1).path("description").asText()).isEqualTo(page.words().get(i));
            JsonNode v = ta.get(i + 1).path("boundingPoly").path("vertices");
            assertThat(v).hasSize(4);
            double[] c = page.boxes().get(i).centre();
            assertThat(c[0]).isBetween(v.get(0).path("x").asDouble(), v.get(1).path("x").asDouble());
        }
        // fullTextAnnotation: one page > blocks > paragraphs > words > symbols, breaks where Cloud Vision puts them
        JsonNode p = item.path("fullTextAnnotation").path("pages").get(0);
        assertThat(p.path("width").asInt()).isEqualTo(page.image().getWidth());
        assertThat(p.path("confidence").asDouble()).isBetween(0.8, 1.0);
        List<String> words = new ArrayList<>();
        List<String> breaks = new ArrayList<>();
        for (JsonNode b : p.path("blocks")) {
            assertThat(b.path("blockType").asText()).isEqualTo("TEXT");
            for (JsonNode para : b.path("paragraphs")) {
                assertThat(para.path("boundingBox").path("vertices")).hasSize(4);
                for (JsonNode w : para.path("words")) {
                    StringBuilder text = new StringBuilder();
                    for (JsonNode s : w.path("symbols")) {
                        text.append(s.path("text").asText());
                        assertThat(s.path("boundingBox").path("vertices")).hasSize(4);
                        assertThat(s.path("confidence").asDouble()).isBetween(0.0, 1.0);
                    }
                    words.add(text.toString());
                    JsonNode last = w.path("symbols").get(w.path("symbols").size() - 1);
                    breaks.add(last.path("property").path("detectedBreak").path("type").asText());
                }
            }
        }
        assertThat(words).containsExactlyElementsOf(page.words());
        // a SPACE after every word but the last of each line; a line ends in EOL_SURE_SPACE, or LINE_BREAK when it ends its block
        assertThat(breaks.stream().filter("SPACE"::equals).count()).isEqualTo(page.words().size() - LINES.size());
        assertThat(breaks.stream().filter(b -> b.equals("EOL_SURE_SPACE") || b.equals("LINE_BREAK")).count()).isEqualTo(LINES.size());
        assertThat(breaks.get(breaks.size() - 1)).isEqualTo("LINE_BREAK");
    }
}
