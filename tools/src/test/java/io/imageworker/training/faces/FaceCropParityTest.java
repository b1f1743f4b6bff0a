package io.imageworker.training.faces;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.tasks.faces.FaceAttributeTranslator;
import io.imageworker.tasks.faces.FaceCrop;
import io.imageworker.tasks.faces.FaceDetection;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * face-api's whole attribute path on a photo, not only its networks: a box of a photo cut, padded
 * and resized by {@link FaceCrop}, then the imported networks, against face-api 1.7.15 in TF.js doing
 * the same from the box ({@code extractFaceTensors}, its networks' own padding and bilinear resize;
 * {@code deploy/tfjs-parity/faceapi.js crop-reference}). The photos are built from the parity crops
 * by whole-pixel copies ({@link SsdParity#inputs}), so both sides start from the same pixels; the
 * boxes are tall, wide, over the photo's edge (clipped) and exactly the networks' size.
 */
class FaceCropParityTest {

    @Test
    void theCropPathGivesTheOriginalsOutputs() throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream(FaceAttributeParity.BUNDLED + "crop-reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        Map<String, BufferedImage> photos = SsdParity.inputs().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("crop-parity"));
        double points = 0;
        double probs = 0;
        try (LoadedModel lm = ModelLoader.load(repo.resolve("face-api-landmark-68").dir(), Device.cpu());
                LoadedModel ex = ModelLoader.load(repo.resolve("face-api-expression").dir(), Device.cpu());
                Predictor<ImageTensor, float[]> landmarks = lm.newPredictor(new FaceAttributeTranslator());
                Predictor<ImageTensor, float[]> expressions = ex.newPredictor(new FaceAttributeTranslator())) {
            for (JsonNode c : ref.path("cases")) {
                BufferedImage photo = photos.get(c.path("photo").asText());
                JsonNode b = c.path("box");
                FaceCrop crop = FaceCrop.of(new FaceDetection(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(),
                        b.get(3).asDouble(), FaceDetection.NO_KEYPOINTS, 1), photo.getWidth(), photo.getHeight());
                assertThat(new int[] {crop.height(), crop.width()}).as("crop of %s", b)
                        .containsExactly(c.path("cropShape").get(0).asInt(), c.path("cropShape").get(1).asInt());
                ImageTensor input = crop.tensor(photo, lm.card().input().spec());
                float[] p = landmarks.predict(input);
                for (int i = 0; i < p.length; i += 2) {
                    double d = 112 * Math.hypot(p[i] - c.path("landmarks").get(i).asDouble(),
                            p[i + 1] - c.path("landmarks").get(i + 1).asDouble());
                    points = Math.max(points, d);
                }
                float[] e = expressions.predict(crop.tensor(photo, ex.card().input().spec()));
                for (int i = 0; i < e.length; i++) {
                    probs = Math.max(probs, Math.abs(e[i] - c.path("expressions").get(i).asDouble()));
                }
            }
        }
        System.out.printf("face-api crop path, imported vs TF.js on %d boxes: landmarks %.2e px (of 112), expressions %.2e%n",
                ref.path("cases").size(), points, probs);
        assertThat(ref.path("cases").size()).isEqualTo(12);
        assertThat(points).as("largest landmark distance, px of the 112 px crop").isLessThan(0.5);
        assertThat(probs).as("largest expression difference").isLessThan(1e-3);
    }
}
