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
