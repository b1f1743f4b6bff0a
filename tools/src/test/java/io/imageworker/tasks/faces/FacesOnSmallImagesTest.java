package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.testing.Digits;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Small pictures without a face (MNIST digits, the OOD set's scenes, textures, letters, blanks and
 * noise, the field cases, digits enlarged before upload) get no face from the task's default model
 * and settings ({@link FacesTask#DEFAULT_MAX_UPSCALE}: a small image is not enlarged), while real
 * faces cut out small are still found. Real model through ONNX Runtime, no mocks.
 */
class FacesOnSmallImagesTest {

    static FaceModels model;
    static FaceFinder.Tiling tiling;
    static double cut;

    @BeforeAll
    static void load() throws Exception {
        model = new FaceModels("blazeface-back-256");
        tiling = FacesTask.tiling(model.card);
        cut = model.card.taskOption(FacesTask.MIN_SCORE, FacesTask.DEFAULT_MIN_SCORE);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The first {@code perClass} test digits of each class. */
    static List<Integer> digits(int perClass) {
        int[] taken = new int[10];
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < Digits.testSet().count() && out.size() < 10 * perClass; i++) {
            if (taken[Digits.label(i)]++ < perClass) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void theTaskDoesNotEnlargeSmallImagesByDefault() {
        assertThat(FacesTask.maxUpscale(model.card)).isEqualTo(1);
    }

    @Test
    void noFaceOnFiftyDigitsOfEveryClass() throws Exception {
        // 50 per class keeps the suite's time in bounds; the study (FacesSmallInputStudyTest) measures 1,000
        List<Integer> digits = digits(50);
        assertThat(digits).hasSize(500);
        List<String> withFace = new ArrayList<>();
        for (int i : digits) {
            List<FaceDetection> faces = model.detect(Digits.image(i), tiling, cut, FacesTask.DEFAULT_MAX_RESULTS);
            if (!faces.isEmpty()) {
                withFace.add("t10k-" + i + " (" + Digits.label(i) + "): " + faces);
            }
        }
        assertThat(withFace).isEmpty();
    }

    @Test
    void theDigitsAreATrapWhenEnlargedToFillTheInput() throws Exception {
        // the same model with MediaPipe's fit-to-input: many digits get a face (measured 155 of the first 1,000)
        int withFace = 0;
        for (int i = 0; i < 200; i++) {
            withFace += model.detect(Digits.image(i), tiling, Double.POSITIVE_INFINITY, cut, 100).isEmpty() ? 0 : 1;
        }
        assertThat(withFace).isGreaterThanOrEqualTo(10);
    }

    @Test
    void noFaceOnSmallPicturesWithoutOne() throws Exception {
        List<String> withFace = new ArrayList<>();
        Map<String, List<FacesSmallInputStudyTest.Named>> sets = FacesSmallInputStudyTest.negatives(1000);
        sets.remove("MNIST 28 px"); // the test above
        int images = 0;
        for (var e : sets.entrySet()) {
            for (FacesSmallInputStudyTest.Named n : e.getValue()) {
                images++;
                List<FaceDetection> faces = model.detect(n.image(), tiling, cut, FacesTask.DEFAULT_MAX_RESULTS);
                if (!faces.isEmpty()) {
                    withFace.add(e.getKey() + " " + n.name() + ": " + faces);
                }
            }
        }
        assertThat(withFace).isEmpty();
        // 200 digits enlarged to 112 px, 420 OOD pictures, 60 text images, field cases and demo drawings
        assertThat(images).isEqualTo(680);
    }

    @Test
    void realFacesCutOutSmallAreStillFound() throws Exception {
        int found = 0;
        int faces = 0;
        for (FaceEvalSet.Photo p : FaceEvalSet.load()) {
            if (p.derivedFrom() != null) {
                continue;
            }
            BufferedImage rgb = Preprocessor.flatten(p.image());
            for (FaceEvalSet.Truth t : p.faces()) {
                // the face 32 px high or wide, in a 64 px square around it: a thumbnail, looked at at its own size
                FacesSmallInputStudyTest.Thumbnail thumb = FacesSmallInputStudyTest.thumbnail(rgb, t, 32);
                assertThat(Math.max(thumb.image().getWidth(), thumb.image().getHeight())).isLessThan(256);
                faces++;
                found += FaceEvalSet.match(model.detect(thumb.image(), tiling, cut, 100), List.of(thumb.face())).stream()
                        .anyMatch(s -> s.kind() == FaceEvalSet.Scored.TP) ? 1 : 0;
            }
        }
        assertThat(faces).isEqualTo(25);
        assertThat(found).isGreaterThanOrEqualTo(FOUND_32);
    }

    /** Of the 25 faces made 32 px, at least this many are found (see FacesSmallInputStudyTest). */
    static final int FOUND_32 = 20;
}
