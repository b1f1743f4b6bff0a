package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.models.ModelCard;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Measures the metrics the detector's card records for the whole pipeline (detector, angle
 * classifier, recognizer, reading order) on the five rendered images of src/test/resources/text and
 * holds the card to them: what this prints is what the card says. Run:
 * {@code ./mvnw -B -o test -Dtest=TextCardMetricsTest -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0}.
 */
class TextCardMetricsTest {

    /** Each image's full text as the reader should give it (blocks joined by a blank line). */
    static Map<String, String> truth() {
        String[][] page = RenderTextImages.PAGE;
        String[] receipt = RenderTextImages.RECEIPT;
        Map<String, String> t = new LinkedHashMap<>();
        t.put("receipt.png", receipt[0] + "\n\n" + String.join("\n", receipt[1], receipt[2], receipt[3], receipt[4]));
        t.put("sign.png", String.join("\n\n", RenderTextImages.SIGN));
        t.put("rotated.jpg", String.join("\n\n", RenderTextImages.ROTATED));
        t.put("upside-down.png", RenderTextImages.UPSIDE_DOWN);
        t.put("page.png", String.join("\n\n", page[0][0], String.join("\n", page[1]), String.join("\n", page[2]), page[3][0]));
        return t;
    }

    @Test
    void theDetectorCardRecordsWhatThePipelineReadsOnTheRenderedImages() throws Exception {
        ExecutorService cpu = Executors.newFixedThreadPool(2);
        double edits = 0;
        int chars = 0;
        int exact = 0;
        StringBuilder report = new StringBuilder();
        try (TextModels m = new TextModels()) {
            TextReader reader = m.reader(true, cpu);
            for (Map.Entry<String, String> e : truth().entrySet()) {
                String read = reader.read(TextModels.image(e.getKey()), m.settings()).get().fullText();
                double cer = TextReaderTest.cer(read, e.getValue());
                edits += cer * e.getValue().length();
                chars += e.getValue().length();
                exact += read.equals(e.getValue()) ? 1 : 0;
                report.append(String.format(Locale.ROOT, "%s: CER %.4f%n", e.getKey(), cer));
            }
            double cer = edits / chars;
            double exactShare = exact / (double) truth().size();
            System.out.printf(Locale.ROOT, "%sall: CER %.4f over %d characters, %d of %d images exact%n", report, cer, chars,
                    exact, truth().size());
            ModelCard card = m.detectorCard;
            assertThat(card.metric("cer-rendered").value()).as("cer-rendered").isCloseTo(cer, within(0.005));
            assertThat(card.metric("exact-rendered").value()).as("exact-rendered").isCloseTo(exactShare, within(0.005));
            assertThat(cer).isLessThanOrEqualTo(0.03);
        } finally {
            cpu.shutdown();
        }
    }
}
