package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.testing.SystemDeps;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * Measures how the margin added around each detected box before cropping changes what the
 * recognizer reads: single lines rendered in two fonts shipped with the tests (DejaVu Sans and DejaVu
 * Serif, src/test/resources/fonts) at 12-48 px (3 lines x 7 sizes x 2 fonts), each line's box grown by
 * {@code margin x box height} on every side. With PaddleOCR's boxes as they are (margin 0) the
 * recognizer drops most spaces between words at 18-36 px; the margin the task uses
 * ({@link Crops#DEFAULT_MARGIN}) was chosen from this table, and the test fails unless it still reads
 * the most lines exactly, and more than margin 0. Lines read exactly of 42 (ppocr-v4-det's card
 * records them): margin 0: 17, 0.15: 35, 0.25: 39, 0.35: 38. (It was first drawn with Liberation
 * Sans as the second font, which is not shipped, being SIL OFL: 14 at margin 0, 38 at 0.25.) Run:
 * {@code ./mvnw -B -o test -Dtest=CropMarginStudyTest -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0}.
 */
class CropMarginStudyTest {

    static final String[] LINES = {"Total due: 1,234.56 EUR", "Coffee beans 1kg 24.90", "Rotated by ten degrees"};
    static final int[] SIZES = {12, 16, 20, 24, 30, 36, 48};
    static final double[] MARGINS = {0, 0.15, 0.25, 0.35};
    /** A sans and a serif face, so the margin is not chosen for one letter shape. */
    static final List<Path> FONTS = List.of(SystemDeps.font("DejaVuSans.ttf"), SystemDeps.font("DejaVuSerif.ttf"));

    static TextModels models;

    @BeforeAll
    static void load() throws Exception {
        models = new TextModels();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    @Test
    void aMarginAroundEachBoxKeepsTheSpacesBetweenWords() throws Exception {
        Map<Double, Integer> exact = new LinkedHashMap<>();
        for (double m : MARGINS) {
            exact.put(m, 0);
        }
        int total = 0;
        List<String> misses = new ArrayList<>();
        for (Path font : FONTS) {
            for (int size : SIZES) {
                for (String line : LINES) {
                    BufferedImage img = line(font, size, line);
                    int[] sz = TextReader.detectorSize(img.getWidth(), img.getHeight(), 960, 32);
                    ProbabilityMap map = models.detect(Preprocessor.toTensor(img,
                            models.detectorCard.input().spec().withSize(sz[0], sz[1])));
                    List<DbPostProcessor.Detection> found = DbPostProcessor.detect(map, img.getWidth(), img.getHeight(),
                            DbPostProcessor.Params.PADDLE);
                    total++;
                    if (found.size() != 1) {
                        misses.add(size + " px: " + found.size() + " boxes");
                        continue;
                    }
                    Mat whole = Crops.toMat(img);
                    try {
                        for (double m : MARGINS) {
                            BufferedImage crop = Crops.crop(whole, Crops.grow(found.get(0).quad(), m, img.getWidth(),
                                    img.getHeight()));
                            int w = Crops.recognizerWidth(crop.getWidth(), crop.getHeight(), 48, 8);
                            ImageTensor t = Preprocessor.toTensor(Crops.resize(crop, w, 48),
                                    models.recognizerCard.input().spec().withSize(w, 48));
                            String read = CtcDecoder.decode(models.recognize(t), models.recognizerCard.labels()).text();
                            if (read.equals(line)) {
                                exact.merge(m, 1, Integer::sum);
                            }
                        }
                    } finally {
                        whole.release();
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder("margin -> lines read exactly, of " + total + "\n");
        exact.forEach((m, n) -> table.append(String.format(Locale.ROOT, "  %.2f  %d%n", m, n)));
        System.out.println(table + (misses.isEmpty() ? "" : "detection misses: " + misses));
        assertThat(exact.get(Crops.DEFAULT_MARGIN)).as(table.toString()).isGreaterThan(exact.get(0.0))
                .isEqualTo(exact.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
    }

    static BufferedImage line(Path font, int size, String text) throws Exception {
        BufferedImage img = new BufferedImage(size * 16, size * 3, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = RenderTextImages.canvas(img, Color.WHITE);
        g.setColor(Color.BLACK);
        g.setFont(RenderTextImages.font(font, size));
        g.drawString(text, size, size * 2);
        g.dispose();
        return img;
    }
}
