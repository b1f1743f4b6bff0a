package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.testing.Images;
import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.DetectionEvaluation.Detection;
import io.imageworker.training.metrics.DetectionEvaluation.Truth;
import io.imageworker.training.metrics.Region;
import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.metrics.TextSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The text reader on the bundled text evaluation set ({@code /datasets/text}, 82 images), scored by
 * the same definitions and subsets as the Tesseract peer in deploy/peers/README.md (CER and word
 * accuracy after whitespace normalisation, page text in reading order; line precision and recall at
 * IoU >= 0.5 of bounding boxes and of polygons). Prints a Markdown table and holds the bars:
 * CER <= 0.03 on the clean images, and below Tesseract's 0.2933 on the whole set. Run:
 * {@code ./mvnw -B -o test -Dtest=TextSetEvaluationTest -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0}.
 */
class TextSetEvaluationTest {

    /** Tesseract 5.3.0's CER on the whole set, from deploy/peers/README.md (measured by PeerBaselines). */
    static final double TESSERACT_CER_ALL = 0.2933;

    @Test
    void theReaderMeetsTheCleanBarAndReadsTheWholeSetBetterThanTesseract() throws Exception {
        TextSet set = TextSet.bundled();
        Map<String, TextReader.Result> read = new HashMap<>();
        ExecutorService cpu = Executors.newFixedThreadPool(2);
        long t0 = System.nanoTime();
        try (TextModels m = new TextModels()) {
            TextReader reader = m.reader(true, cpu);
            for (TextSet.Image im : set.images()) {
                byte[] bytes = Images.resource(TextSet.BUNDLED + "images/" + im.file());
                read.put(im.file(), reader.read(new io.imageworker.imaging.ImageDecoder(40_000_000L).decode(bytes),
                        m.settings()).get());
            }
        } finally {
            cpu.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(set.version()).as("the card's metrics are of set v1").isEqualTo(1);
        Map<String, Predicate<TextSet.Image>> subsets = new LinkedHashMap<>();
        subsets.put("all", im -> true);
        subsets.put("clean", TextSet.Image::clean);
        subsets.put("generated, degraded", im -> "generated".equals(im.source()) && !im.clean());
        subsets.put("third-party", im -> "third-party".equals(im.source()));
        Map<String, Double> cer = new HashMap<>();
        Map<String, Double> measured = new HashMap<>();
        StringBuilder md = new StringBuilder("| subset | images | CER | word accuracy | line precision (box IoU >= 0.5) "
                + "| line recall (box) | line precision (polygon IoU >= 0.5) | line recall (polygon) |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, Predicate<TextSet.Image>> s : subsets.entrySet()) {
            TextAccuracy acc = new TextAccuracy();
            DetectionEvaluation bounds = new DetectionEvaluation(0.5, DetectionEvaluation.Overlap.BOUNDS);
            DetectionEvaluation polygons = new DetectionEvaluation(0.5, DetectionEvaluation.Overlap.REGION);
            int n = 0;
            for (TextSet.Image im : set.images()) {
                if (!s.getValue().test(im)) {
                    continue;
                }
                TextReader.Result r = read.get(im.file());
                acc.add(im.text(), r.fullText());
                List<Truth> truths = im.lines().stream().map(l -> new Truth(l.region(), l.difficult())).toList();
                List<Detection> dets = new ArrayList<>();
                for (TextLine l : r.lines()) {
                    Quad q = l.quad();
                    dets.add(new Detection(Region.polygon(q.x()[0], q.y()[0], q.x()[1], q.y()[1], q.x()[2], q.y()[2],
                            q.x()[3], q.y()[3]), l.confidence()));
                }
                bounds.add(truths, dets);
                polygons.add(truths, dets);
                n++;
            }
            DetectionEvaluation.Counts b = bounds.at(Double.NEGATIVE_INFINITY);
            DetectionEvaluation.Counts p = polygons.at(Double.NEGATIVE_INFINITY);
            cer.put(s.getKey(), acc.characterErrorRate());
            if (s.getKey().equals("all")) {
                measured.put("cer-textset", acc.characterErrorRate());
                measured.put("word-accuracy-textset", acc.wordAccuracy());
                measured.put("line-recall-textset", p.recall());
                measured.put("line-precision-textset", p.precision());
            } else if (s.getKey().equals("clean")) {
                measured.put("cer-textset-clean", acc.characterErrorRate());
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f (%d / %d) | %.4f (%d / %d) | %.3f | %.3f | %.3f | %.3f |%n",
                    s.getKey(), n, acc.characterErrorRate(), acc.edits(), acc.referenceChars(), acc.wordAccuracy(),
                    acc.matchedWords(), acc.referenceWords(), b.precision(), b.recall(), p.precision(), p.recall()));
        }
        System.out.printf(Locale.ROOT, "TEXT SET%n%swall time %.1f s for %d images (one at a time, 2 intra-op threads)%n", md,
                seconds, set.images().size());
        assertThat(cer.get("clean")).as(md.toString()).isLessThanOrEqualTo(0.03);
        // the detector's card records these numbers
        ModelCard card = ModelLoader.readCard(TextModels.MODELS.resolve("ppocr-v4-det/1"));
        measured.forEach((name, value) -> assertThat(card.metric(name).value()).as("card's %s", name)
                .isCloseTo(value, within(0.005)));
        assertThat(cer.get("all")).as(md.toString()).isLessThan(TESSERACT_CER_ALL);
    }
}
