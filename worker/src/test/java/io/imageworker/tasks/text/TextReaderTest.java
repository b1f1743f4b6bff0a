package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole reader on the bundled PP-OCR models (ONNX Runtime through DJL, no mocks) and the
 * rendered images of src/test/resources/text, whose texts {@link RenderTextImages} holds.
 */
class TextReaderTest {

    static TextModels models;
    static ExecutorService cpu;

    @BeforeAll
    static void load() throws Exception {
        models = new TextModels();
        cpu = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void close() {
        cpu.shutdown();
        models.close();
    }

    static TextReader.Result read(String image) throws Exception {
        return read(image, models.settings(), true);
    }

    static TextReader.Result read(String image, TextReader.Settings s, boolean withAngle) throws Exception {
        return models.reader(withAngle, cpu).read(TextModels.image(image), s).get();
    }

    @Test
    void theReceiptReadsExactlyLineByLineWhereEachLineWasDrawn() throws Exception {
        BufferedImage img = TextModels.image("receipt.png");
        TextReader.Result r = read("receipt.png");
        String[] truth = RenderTextImages.RECEIPT;
        // the heading stands 60 px above the rest, which is one block of 4 lines 32 px apart
        assertThat(r.fullText()).isEqualTo(truth[0] + "\n\n" + String.join("\n", Arrays.copyOfRange(truth, 1, 5)));
        assertThat(r.blocks()).hasSize(2);
        assertThat(r.blocks().get(1).lines()).hasSize(4);
        int[] baselines = {60, 120, 152, 184, 216};
        List<TextLine> lines = r.lines();
        for (int i = 0; i < 5; i++) {
            TextLine l = lines.get(i);
            assertThat(l.text()).isEqualTo(truth[i]);
            assertThat(l.confidence()).isBetween(0.9, 1.0);
            assertThat(l.quad().inside(img.getWidth(), img.getHeight())).isTrue();
            // drawn from x = 30 with its baseline at baselines[i]: the box sits just above it
            assertThat(l.quad().x()[0]).isBetween(22.0, 36.0);
            assertThat(l.quad().centre()[1]).isCloseTo(baselines[i] - 8, within(6.0));
        }
    }

    @Test
    void theSignReadsLightTextOnDark() throws Exception {
        TextReader.Result r = read("sign.png");
        assertThat(r.fullText()).isEqualTo(String.join(ReadingOrder.BLOCK_SEPARATOR, RenderTextImages.SIGN));
        TextBlock platform = r.blocks().get(0);
        // 72 px capitals drawn at baseline 130 from x = 60
        assertThat(platform.quad().y()[0]).isBetween(70.0, 90.0);
        assertThat(platform.quad().y()[2]).isBetween(125.0, 140.0);
        assertThat(platform.quad().x()[0]).isBetween(50.0, 70.0);
    }

    @Test
    void textTurnedTenDegreesReadsExactlyWithBoxesAlongIt() throws Exception {
        TextReader.Result r = read("rotated.jpg");
        assertThat(r.lines()).extracting(TextLine::text).containsExactly(RenderTextImages.ROTATED);
        for (TextLine l : r.lines()) {
            // drawn turned 10 degrees anticlockwise: the top edge rises to the right
            assertThat(Math.toDegrees(l.quad().angle())).isCloseTo(-10, within(2.0));
            assertThat(l.quad().inside(560, 360)).isTrue();
        }
    }

    @Test
    void theAngleClassifierTurnsAnUpsideDownLine() throws Exception {
        TextReader.Result r = read("upside-down.png");
        assertThat(r.fullText()).isEqualTo(RenderTextImages.UPSIDE_DOWN);
        double[] c = r.lines().get(0).quad().centre();
        // turned about (260, 70)
        assertThat(c[0]).isCloseTo(280, within(25.0));
        assertThat(c[1]).isCloseTo(66, within(10.0));
        // without the classifier the same line does not read
        TextReader.Result without = read("upside-down.png", models.settings(), false);
        assertThat(without.fullText()).isNotEqualTo(RenderTextImages.UPSIDE_DOWN);
    }

    /**
     * The classifier squeezes a line into its 192 px and has called upright lines of a crooked scan upside
     * down with p above 0.9; a classifier that calls every line upside down stands for it here: the
     * recognizer reads each turned line both ways and keeps the surer reading, so upright lines still
     * read exactly, and the truly upside-down line is still turned.
     */
    @Test
    void aLineTheClassifierWronglyTurnsStillReads() throws Exception {
        TextReader.Stage<float[]> alwaysUpsideDown = t -> java.util.concurrent.CompletableFuture.completedFuture(new float[] {0.01f, 0.99f});
        TextReader wrong = models.reader(alwaysUpsideDown, cpu);
        TextReader.Result receipt = wrong.read(TextModels.image("receipt.png"), models.settings()).get();
        assertThat(receipt.lines()).extracting(TextLine::text).containsExactly(RenderTextImages.RECEIPT);
        assertThat(receipt.lines()).allSatisfy(l -> assertThat(l.confidence()).isGreaterThan(0.9));
        TextReader.Result upsideDown = wrong.read(TextModels.image("upside-down.png"), models.settings()).get();
        assertThat(upsideDown.fullText()).isEqualTo(RenderTextImages.UPSIDE_DOWN);
    }

    @Test
    void theSurerReadingOfALineIsKeptAndTextBeatsNothing() {
        CtcDecoder.Spans empty = new CtcDecoder.Spans(List.of(), 10);
        CtcDecoder.Spans spaceOnly = new CtcDecoder.Spans(List.of(new CtcDecoder.Symbol(" ", 2, 2, 0.99)), 10);
        CtcDecoder.Spans unsure = new CtcDecoder.Spans(List.of(new CtcDecoder.Symbol("a", 1, 2, 0.3)), 10);
        CtcDecoder.Spans sure = new CtcDecoder.Spans(List.of(new CtcDecoder.Symbol("e", 1, 2, 0.9)), 10);
        assertThat(TextReader.readsBetter(sure, unsure)).isTrue();
        assertThat(TextReader.readsBetter(unsure, sure)).isFalse();
        // text, however unsure, beats nothing, and a lone space is nothing
        assertThat(TextReader.readsBetter(unsure, spaceOnly)).isTrue();
        assertThat(TextReader.readsBetter(spaceOnly, unsure)).isFalse();
        assertThat(TextReader.readsBetter(empty, empty)).isFalse();
    }

    @Test
    void aPageReadsInBlocksHeadingColumnsFooter() throws Exception {
        TextReader.Result r = read("page.png");
        String[][] page = RenderTextImages.PAGE;
        assertThat(r.blocks()).hasSize(4);
        assertThat(r.blocks().get(0).text()).isEqualTo(page[0][0]);
        assertThat(r.blocks().get(1).text()).isEqualTo(String.join("\n", page[1]));
        assertThat(r.blocks().get(2).text()).isEqualTo(String.join("\n", page[2]));
        // the 22 px footer "Page 1 of 4" may lose its last space: held to a character error rate
        assertThat(cer(r.blocks().get(3).text(), page[3][0])).isLessThanOrEqualTo(1 / 11.0);
        String truth = String.join("\n\n", page[0][0], String.join("\n", page[1]), String.join("\n", page[2]), page[3][0]);
        assertThat(cer(r.fullText(), truth)).isLessThanOrEqualTo(0.02);
        // the right column's block lies right of the left column's
        assertThat(r.blocks().get(2).quad().x()[0]).isGreaterThan(r.blocks().get(1).quad().x()[1]);
    }

    @Test
    void minConfidenceDropsLinesAndMaxLinesKeepsTheMostConfident() throws Exception {
        TextReader.Result all = read("receipt.png");
        List<Double> confidences = new ArrayList<>(all.lines().stream().map(TextLine::confidence).toList());
        confidences.sort(null);
        double cut = (confidences.get(1) + confidences.get(2)) / 2; // drops the two least confident
        TextReader.Result some = read("receipt.png", models.settings().with(cut, 1000), true);
        assertThat(some.lines()).hasSize(3).allSatisfy(l -> assertThat(l.confidence()).isGreaterThanOrEqualTo(cut));

        TextReader.Result two = read("receipt.png", models.settings().with(0.5, 2), true);
        assertThat(two.lines()).hasSize(2);
        assertThat(two.lines()).extracting(TextLine::confidence)
                .containsExactlyInAnyOrder(confidences.get(4), confidences.get(3));
    }

    @Test
    void aBlankImageHasNoText() throws Exception {
        BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        TextReader.Result r = models.reader(true, cpu).read(blank, models.settings()).get();
        assertThat(r.blocks()).isEmpty();
        assertThat(r.fullText()).isEmpty();
        assertThat(r.timings().regions()).isZero();
    }

    @Test
    void detectorInputsAreMultiplesOf32WithinTheLongestSide() {
        assertThat(TextReader.detectorSize(420, 260, 960, 32)).containsExactly(416, 256);
        assertThat(TextReader.detectorSize(4000, 3000, 960, 32)).containsExactly(960, 736);
        assertThat(TextReader.detectorSize(10, 3000, 960, 32)).containsExactly(32, 960);
        assertThat(TextReader.detectorSize(5, 5, 960, 32)).containsExactly(32, 32);
    }

    /**
     * The per-stage times on the receipt after two warm-up reads: the median of 10 reads, one at a
     * time, 2 intra-op threads by default. Run:
     * {@code ./mvnw -B -o test -Dtest=TextReaderTest#stageTimesOnTheReceipt -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0}.
     */
    @Test
    void stageTimesOnTheReceipt() throws Exception {
        read("receipt.png");
        read("receipt.png");
        int n = 10;
        double[][] t = new double[5][n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            TextReader.Result r = read("receipt.png");
            t[4][i] = (System.nanoTime() - start) / 1e6;
            assertThat(r.lines()).extracting(TextLine::text).containsExactly(RenderTextImages.RECEIPT);
            t[0][i] = r.timings().detectMs();
            t[1][i] = r.timings().classifyMs();
            t[2][i] = r.timings().recognizeMs();
            t[3][i] = r.timings().geometryMs();
        }
        String[] names = {"det", "cls (5 lines)", "rec (5 lines)", "geometry", "total"};
        StringBuilder s = new StringBuilder("receipt.png 420x260, median of " + n + " reads, ms:");
        for (int k = 0; k < 5; k++) {
            Arrays.sort(t[k]);
            s.append(String.format(Locale.ROOT, " %s %.1f (min %.1f, max %.1f);", names[k], (t[k][n / 2 - 1] + t[k][n / 2]) / 2,
                    t[k][0], t[k][n - 1]));
        }
        System.out.println("STAGE TIMES " + s);
        assertThat(t[0][0]).isPositive();
        assertThat(t[2][0]).isPositive();
    }

    /** Character error rate: Levenshtein distance over the reference's length. */
    static double cer(String read, String reference) {
        int[] prev = new int[reference.length() + 1];
        int[] cur = new int[reference.length() + 1];
        for (int j = 0; j <= reference.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= read.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= reference.length(); j++) {
                int sub = prev[j - 1] + (read.charAt(i - 1) == reference.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[reference.length()] / (double) Math.max(1, reference.length());
    }

    @Test
    void cerCountsEditsOverTheReferenceLength() {
        assertThat(cer("Page 1 of4", "Page 1 of 4")).isCloseTo(1 / 11.0, within(1e-12));
        assertThat(cer("abc", "abc")).isZero();
        assertThat(cer("", "abcd")).isEqualTo(1.0);
    }
}
