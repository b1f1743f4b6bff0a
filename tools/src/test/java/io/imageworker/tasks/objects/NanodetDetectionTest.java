package io.imageworker.tasks.objects;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.tasks.faces.Letterbox;
import io.imageworker.testing.Repo;
import io.imageworker.training.tfjs.TfjsImporter;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NanoDet imported from its TF.js graph model and decoded by {@link NanodetDecoder} on real photos
 * letterboxed to 416 px with NanoDet's normalisation: the cat is a cat where the cat is, the astronaut a person, and a blank
 * grey picture holds nothing. Boxes are mapped back to photo pixels through the letterbox.
 */
class NanodetDetectionTest {

    static final int SIZE = 416;
    /**
     * NanoDet's own normalisation (its configs' {@code img_norm_cfg}, BGR channel order): what this
     * graph was trained on. On RGB / 255, as {@code @vladmandic/human} feeds it, the same photos gave
     * the cat 0.29 behind a "sink" at 0.35 and the horse silhouette a "toilet"; with this, cat 0.57,
     * horse 0.68, person 0.73 (measured on these photos, letterboxed).
     */
    static final float[] MEAN_BGR = {103.53f, 116.28f, 123.675f};
    static final float[] STD_BGR = {57.375f, 57.12f, 58.395f};
    static final String IMAGES = "datasets/src/main/resources/datasets/faces/images/";

    @TempDir
    static Path tmp;
    static LoadedModel model;

    @BeforeAll
    static void load() throws Exception {
        TfjsImporter.importModel(new TfjsImporter.Request(Repo.path("tools/src/test/resources/tfjs/nanodet"), tmp, "objects",
                "nanodet", "1", null, null, null, false));
        model = ModelLoader.load(tmp.resolve("nanodet/1"), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A detection in photo pixels. */
    record Found(String name, float score, double x1, double y1, double x2, double y2) {}

    static List<Found> detect(BufferedImage photo, double minScore) throws Exception {
        Letterbox box = Letterbox.whole(photo.getWidth(), photo.getHeight(), SIZE);
        BufferedImage in = box.render(photo);
        float[] px = new float[3 * SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = in.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int bgr = (rgb >> (8 * c)) & 0xff; // channel 0 is blue
                    px[c * SIZE * SIZE + y * SIZE + x] = (bgr - MEAN_BGR[c]) / STD_BGR[c];
                }
            }
        }
        List<float[]> scores = new ArrayList<>();
        List<float[]> boxes = new ArrayList<>();
        try (Predictor<NDList, NDList> p = model.model().newPredictor(new NoopTranslator());
                NDManager m = NDManager.newBaseManager()) {
            NDList out = p.predict(new NDList(m.create(px, new Shape(1, 3, SIZE, SIZE))));
            for (int k = 0; k < 3; k++) {
                scores.add(out.get(k).toFloatArray());
                boxes.add(out.get(k + 3).toFloatArray());
            }
        }
        List<Found> found = new ArrayList<>();
        for (NanodetDecoder.Detection d : NanodetDecoder.decode(scores, boxes, SIZE,
                new NanodetDecoder.Options(minScore, 100, null))) {
            found.add(new Found(CocoLabels.NAMES.get(d.classIndex()), d.score(), box.imageX(d.x1() / SIZE),
                    box.imageY(d.y1() / SIZE), box.imageX(d.x2() / SIZE), box.imageY(d.y2() / SIZE)));
        }
        return found;
    }

    static BufferedImage rgb(String file) throws Exception {
        BufferedImage src = ImageIO.read(Repo.path(IMAGES + file).toFile());
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(src, 0, 0, null);
        return rgb;
    }

    @Test
    void theCatIsACatWhereTheCatIs() throws Exception {
        BufferedImage photo = rgb("skimage-chelsea.png"); // 451 x 300, the cat fills most of it
        List<Found> found = detect(photo, 0.3);
        System.out.println("nanodet on skimage-chelsea: " + found);
        assertThat(found).isNotEmpty();
        Found cat = found.get(0);
        assertThat(cat.name()).isEqualTo("cat");
        double area = (cat.x2() - cat.x1()) * (cat.y2() - cat.y1());
        assertThat(area).as("box area against the photo's").isGreaterThan(0.25 * photo.getWidth() * photo.getHeight());
        assertThat((cat.x1() + cat.x2()) / 2).isBetween(photo.getWidth() * 0.25, photo.getWidth() * 0.75);
        assertThat(cat.x1()).isGreaterThanOrEqualTo(-0.5);
        assertThat(cat.y2()).isLessThanOrEqualTo(photo.getHeight() + 0.5);
    }

    @Test
    void theAstronautIsAPerson() throws Exception {
        List<Found> found = detect(rgb("skimage-astronaut.png"), 0.3);
        System.out.println("nanodet on skimage-astronaut: " + found);
        assertThat(found).extracting(Found::name).contains("person");
        assertThat(found.get(0).name()).isEqualTo("person");
    }

    @Test
    void theHorseIsAHorse() throws Exception {
        List<Found> found = detect(rgb("skimage-horse.png"), 0.3);
        System.out.println("nanodet on skimage-horse: " + found);
        assertThat(found.get(0).name()).isEqualTo("horse");
    }

    @Test
    void aBlankPictureHoldsNothing() throws Exception {
        BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        assertThat(detect(grey, 0.3)).isEmpty();
    }
}
