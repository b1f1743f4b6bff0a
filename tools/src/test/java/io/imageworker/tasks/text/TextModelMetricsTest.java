package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.imaging.ImageDecoder;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.ModelCard;
import io.imageworker.testing.Images;
import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.metrics.TextSet;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * The recognizer and the angle classifier measured alone, on the labelled lines of the bundled
 * evaluation set (v1; every line not marked difficult, cut from its labelled polygon with the
 * task's margin, as the reader cuts detected boxes): the recognizer's character error rate and
 * exact lines; the classifier's accuracy with the task's rule (turn when {@code 180} has
 * probability above 0.9) on each line as labelled and turned 180 degrees. The cards of
 * ppocr-v4-rec and ppocr-v2-cls record these numbers and this test holds them to it. Run:
 * {@code ./mvnw -B -o test -Dtest=TextModelMetricsTest -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0}.
 */
class TextModelMetricsTest {

    @Test
    void recognizerAndAngleClassifierOnTheLabelledLines() throws Exception {
        TextSet set = TextSet.bundled();
        assertThat(set.version()).isEqualTo(1);
        TextAccuracy rec = new TextAccuracy();
        int lines = 0;
        int exact = 0;
        int angleRight = 0;
        var unused = Executors.newSingleThreadExecutor(); // the reader's executor: only its input builders are used here
        try (TextModels m = new TextModels()) {
            TextReader reader = m.reader(true, unused);
            for (TextSet.Image im : set.images()) {
                BufferedImage img = Preprocessor.flatten(new ImageDecoder(40_000_000L)
                        .decode(Images.resource(TextSet.BUNDLED + "images/" + im.file())));
                Mat whole = Crops.toMat(img);
                try {
                    for (TextSet.Line l : im.lines()) {
                        if (l.difficult()) {
                            continue;
                        }
                        double[] p = l.polygon();
                        Quad q = new Quad(new double[] {p[0], p[2], p[4], p[6]}, new double[] {p[1], p[3], p[5], p[7]});
                        BufferedImage crop = Crops.crop(whole, Crops.grow(q, Crops.DEFAULT_MARGIN, img.getWidth(), img.getHeight()));
                        ImageTensor t = reader.recognizerInput(crop, 8);
                        String read = CtcDecoder.decode(m.recognize(t), m.recognizerCard.labels()).text().strip();
                        rec.add(l.text(), read);
                        exact += TextAccuracy.normalise(read).equals(TextAccuracy.normalise(l.text())) ? 1 : 0;
                        boolean keeps = m.classify(reader.angleInput(crop))[1] <= 0.9;
                        boolean turns = m.classify(reader.angleInput(Crops.rotate180(crop)))[1] > 0.9;
                        angleRight += (keeps ? 1 : 0) + (turns ? 1 : 0);
                        lines++;
                    }
                } finally {
                    whole.release();
                }
            }
            double exactShare = exact / (double) lines;
            double angle = angleRight / (2.0 * lines);
            System.out.printf(Locale.ROOT, "LINES %d: recognizer CER %.4f (%d / %d), exact %.4f, word accuracy %.4f; "
                    + "angle classifier %.4f (%d / %d)%n", lines, rec.characterErrorRate(), rec.edits(), rec.referenceChars(),
                    exactShare, rec.wordAccuracy(), angle, angleRight, 2 * lines);
            ModelCard r = m.recognizerCard;
            ModelCard a = m.angleCard;
            assertThat(r.metric("cer-textset-lines").value()).isCloseTo(rec.characterErrorRate(), within(0.005));
            assertThat(r.metric("exact-textset-lines").value()).isCloseTo(exactShare, within(0.005));
            assertThat(a.metric("accuracy-textset-lines").value()).isCloseTo(angle, within(0.005));
        } finally {
            unused.shutdown();
        }
    }
}
