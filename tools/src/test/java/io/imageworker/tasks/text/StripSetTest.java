package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.peers.Tesseract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The text task on text in extreme shapes ({@link StripSet}: 9 strips, 3 receipt lines, 2 tall
 * rolls, 2 spines) through the whole reader with the bundled models and card defaults: word
 * accuracy (reference words read in order) and character error rate of each image's text, whitespace
 * normalised, per kind and in all, scored by {@link TextAccuracy}, the text evaluation's scorer. When
 * Tesseract is installed it reads the same images (PNG files) in the same run and is printed
 * beside. Run: {@code ./mvnw -B -o surefire:test -Dtest=StripSetTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class StripSetTest {

    static TextModels models;
    static ExecutorService cpu;
    static List<StripSet.Sample> set;

    @BeforeAll
    static void load() throws Exception {
        models = new TextModels();
        cpu = Executors.newFixedThreadPool(2);
        set = StripSet.generate();
    }

    @AfterAll
    static void close() {
        cpu.shutdown();
        models.close();
    }

    /**
     * Four strips turned 180 degrees: the angle classifier, seeing windows of each long line rather
     * than the line squeezed into its 192 px, turns every line back, so every word is read. The
     * order of the words is not held: where the detector split a line, its parts lie right to left in
     * the turned image, and the reading order is the image's (it does not know the page is upside down).
     */
    @Test
    void upsideDownStripsAreTurnedBack() throws Exception {
        TextReader reader = models.reader(true, cpu);
        int words = 0;
        int found = 0;
        for (StripSet.Sample s : set.subList(2, 6)) {
            String read = reader.read(Crops.rotate180(s.image()), models.settings()).get().fullText();
            System.out.printf(Locale.ROOT, "TURNED %-32s | %s%n", s.name(), read.replace('\n', '/'));
            List<String> left = new java.util.ArrayList<>(List.of(TextAccuracy.normalise(read).split(" ")));
            for (String w : TextAccuracy.normalise(s.text()).split(" ")) {
                words++;
                found += left.remove(w) ? 1 : 0;
            }
        }
        assertThat(found / (double) words).as("share of the words of 4 strips upside down read upright").isGreaterThanOrEqualTo(0.95);
        // a line 50 heights long is seen as 5 windows of 4 heights (192 x 48), a line 10 heights long whole
        java.awt.image.BufferedImage longLine = new java.awt.image.BufferedImage(2000, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
        List<java.awt.image.BufferedImage> windows = reader.angleWindows(longLine);
        assertThat(windows).hasSize(TextReader.ANGLE_WINDOWS);
        assertThat(windows).allSatisfy(w -> assertThat(w.getWidth()).isEqualTo(160));
        java.awt.image.BufferedImage shortLine = longLine.getSubimage(0, 0, 400, 40);
        assertThat(reader.angleWindows(shortLine)).containsExactly(shortLine);
    }

    @Test
    void stripsRollsAndSpinesAreReadWordForWord() throws Exception {
        TextReader reader = models.reader(true, cpu);
        Tesseract tesseract = Tesseract.defaults();
        boolean peer = tesseract.available();
        Map<String, TextAccuracy> ours = new LinkedHashMap<>();
        Map<String, TextAccuracy> theirs = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("strip-set");
        try {
            for (StripSet.Sample s : set) {
                String read = reader.read(s.image(), models.settings()).get().fullText();
                TextAccuracy one = new TextAccuracy().add(s.text(), read);
                System.out.printf(Locale.ROOT, "STRIP %-32s words %.3f cer %.4f | %s%n", s.name(), one.wordAccuracy(),
                        one.characterErrorRate(), read.replace('\n', '/'));
                for (String k : List.of(s.kind(), "all")) {
                    ours.computeIfAbsent(k, x -> new TextAccuracy()).add(s.text(), read);
                }
                if (peer) {
                    Path file = dir.resolve(s.name());
                    Files.write(file, s.png());
                    String t = tesseract.read(file).text();
                    Files.delete(file);
                    for (String k : List.of(s.kind(), "all")) {
                        theirs.computeIfAbsent(k, x -> new TextAccuracy()).add(s.text(), t);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
        String peerName = peer ? tesseract.version() + " (eng, --psm 3)" : "Tesseract not installed: no peer";
        for (String k : ours.keySet()) {
            TextAccuracy o = ours.get(k);
            TextAccuracy t = theirs.get(k);
            System.out.printf(Locale.ROOT, "STRIPSET %-12s %2d images, %4d words: ours words %.4f cer %.4f | %s%n", k, o.pairs(),
                    o.referenceWords(), o.wordAccuracy(), o.characterErrorRate(), t == null ? peerName
                            : String.format(Locale.ROOT, "%s words %.4f cer %.4f", peerName, t.wordAccuracy(), t.characterErrorRate()));
        }
        TextAccuracy all = ours.get("all");
        assertThat(all.wordAccuracy()).as("word accuracy on the strip set").isGreaterThanOrEqualTo(0.95);
        assertThat(all.characterErrorRate()).as("CER on the strip set").isLessThanOrEqualTo(0.03);
        for (String kind : List.of("strip", "receipt-line", "roll", "spine")) {
            assertThat(ours.get(kind).wordAccuracy()).as("word accuracy on the %ss", kind).isGreaterThanOrEqualTo(0.9);
        }
    }
}
