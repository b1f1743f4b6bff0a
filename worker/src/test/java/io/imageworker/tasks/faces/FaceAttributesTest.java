package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.tasks.Likelihood;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The geometry and the likelihood mapping of the face attributes, with stand-in models. */
class FaceAttributesTest {

    static final Preprocessor.Spec SPEC = new Preprocessor.Spec(112, 112, 3, new float[] {0.48f, 0.46f, 0.41f},
            new float[] {1, 1, 1}, false);

    @Test
    void aTallBoxIsPaddedToASquareCentredAndThePointsComeBackInPhotoPixels() {
        // a 100 x 200 box at (50, 20): the square is 200 wide, the box drawn in its middle (50 px black each side)
        FaceCrop crop = FaceCrop.of(new FaceDetection(50, 20, 100, 200, new double[12], 0.9), 640, 480);
        assertThat(crop).isEqualTo(new FaceCrop(50, 20, 100, 200, 50, 0, 200));
        float[] out = new float[136];
        out[0] = 0.25f; // the square's left edge of the drawn box
        out[1] = 0f;
        out[2] = 0.75f; // its right edge
        out[3] = 1f;
        double[] p = FaceAttributes.toImage(crop, out);
        assertThat(p[0]).isCloseTo(50, within(1e-9));
        assertThat(p[1]).isCloseTo(20, within(1e-9));
        assertThat(p[2]).isCloseTo(150, within(1e-9));
        assertThat(p[3]).isCloseTo(220, within(1e-9));
    }

    @Test
    void aBoxIsClippedToThePhotoAndFlooredAsFaceApiDoesAndOneOutsideItGetsNone() {
        // clipped at x = 0: 49.6 px wide, floored to 49; 80 px to the bottom edge; 31 columns of padding, 15 before
        assertThat(FaceCrop.of(new FaceDetection(-10.4, 400, 60, 120, new double[12], 0.9), 640, 480))
                .isEqualTo(new FaceCrop(0, 400, 49, 80, 15, 0, 80));
        assertThat(FaceCrop.of(new FaceDetection(700, 10, 60, 60, new double[12], 0.9), 640, 480)).isNull();
    }

    @Test
    void bothModelsReadTheSameCropAndEachFaceGetsItsOwnAnswer() {
        BufferedImage photo = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        List<FaceDetection> faces = List.of(new FaceDetection(10, 10, 80, 80, new double[12], 0.9),
                new FaceDetection(400, 10, 80, 80, new double[12], 0.8), // outside: no attributes
                new FaceDetection(200, 100, 60, 90, new double[12], 0.7));
        List<ImageTensor> seen = new ArrayList<>();
        List<FaceAttributes.Attributes> a = FaceAttributes.measure(photo, faces, SPEC, in -> {
            seen.add(in);
            return CompletableFuture.completedFuture(new float[136]);
        }, in -> {
            assertThat(seen).last().isSameAs(in);
            float[] p = new float[7];
            p[seen.size() == 1 ? 1 : 0] = 1f; // the first face happy, the other neutral
            return CompletableFuture.completedFuture(p);
        }).join();
        assertThat(a).hasSize(3);
        assertThat(a.get(1)).isNull();
        assertThat(seen).hasSize(2).allSatisfy(t -> assertThat(t.height()).isEqualTo(112));
        assertThat(a.get(0).likelihood("happy")).isEqualTo(Likelihood.VERY_LIKELY);
        assertThat(a.get(2).likelihood("happy")).isEqualTo(Likelihood.VERY_UNLIKELY);
        // every point at the crop's top-left corner (0, 0): the top-left of the padded square, in photo pixels
        assertThat(a.get(2).landmarks()[0]).isCloseTo(200 - 15, within(1.0));
        assertThat(a.get(2).landmarks()[1]).isCloseTo(100, within(1e-9));
    }

    @Test
    void theLikelihoodsAreCloudVisionsFieldsOfTheirExpressions() {
        assertThat(FaceAttributes.LIKELIHOODS).containsExactly(java.util.Map.entry("joyLikelihood", "happy"),
                java.util.Map.entry("sorrowLikelihood", "sad"), java.util.Map.entry("angerLikelihood", "angry"),
                java.util.Map.entry("surpriseLikelihood", "surprised"));
        float[] p = {0.05f, 0.5f, 0.2f, 0.049f, 0f, 0f, 0.201f};
        FaceAttributes.Attributes a = new FaceAttributes.Attributes(new double[136], p);
        assertThat(a.likelihood("happy")).isEqualTo(Likelihood.LIKELY);
        assertThat(a.likelihood("sad")).isEqualTo(Likelihood.POSSIBLE);
        assertThat(a.likelihood("angry")).isEqualTo(Likelihood.VERY_UNLIKELY);
        assertThat(a.likelihood("surprised")).isEqualTo(Likelihood.POSSIBLE);
        assertThat(a.likelihood("neutral")).isEqualTo(Likelihood.UNLIKELY);
    }
}
