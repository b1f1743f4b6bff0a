package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.ImageDecoder;
import io.imageworker.testing.Images;
import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.metrics.TextSet;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The crop margin checked on the bundled evaluation set (it was chosen on CropMarginStudyTest's
 * rendered lines, not here): the whole reader with PaddleOCR's crops (margin 0) and with the
 * task's {@link Crops#DEFAULT_MARGIN}, CER and word accuracy by the peers' definitions. Run:
 * {@code ./mvnw -B -o test -Dtest=CropMarginTextSetStudyTest -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0}.
 */
class CropMarginTextSetStudyTest {

    @Test
    void theMarginLowersTheCharacterErrorRateOnTheEvaluationSet() throws Exception {
        TextSet set = TextSet.bundled();
        ExecutorService cpu = Executors.newFixedThreadPool(2);
        double[] margins = {0, Crops.DEFAULT_MARGIN};
        TextAccuracy[] all = {new TextAccuracy(), new TextAccuracy()};
        TextAccuracy[] clean = {new TextAccuracy(), new TextAccuracy()};
        try (TextModels m = new TextModels()) {
            TextReader reader = m.reader(true, cpu);
            TextReader.Settings d = m.settings();
            for (TextSet.Image im : set.images()) {
                var image = new ImageDecoder(40_000_000L).decode(Images.resource(TextSet.BUNDLED + "images/" + im.file()));
                for (int k = 0; k < 2; k++) {
                    TextReader.Settings s = new TextReader.Settings(d.db(), d.maxSide(), d.sizeMultiple(), d.rotateThreshold(),
                            d.widthMultiple(), d.minConfidence(), d.maxLines(), margins[k]);
                    String read = reader.read(image, s).get().fullText();
                    all[k].add(im.text(), read);
                    if (im.clean()) {
                        clean[k].add(im.text(), read);
                    }
                }
            }
        } finally {
            cpu.shutdown();
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "MARGIN %.2f: all CER %.4f (%d / %d), word accuracy %.4f; clean CER %.4f (%d / %d)%n",
                    margins[k], all[k].characterErrorRate(), all[k].edits(), all[k].referenceChars(), all[k].wordAccuracy(),
                    clean[k].characterErrorRate(), clean[k].edits(), clean[k].referenceChars());
        }
        assertThat(all[1].characterErrorRate()).isLessThan(all[0].characterErrorRate());
        assertThat(all[1].wordAccuracy()).isGreaterThan(all[0].wordAccuracy());
        assertThat(clean[1].characterErrorRate()).isLessThan(clean[0].characterErrorRate());
    }
}
