package io.imageworker.training.metrics;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.testing.SystemDeps;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The committed evaluation sets are whole and consistent: every photo is carried, decodes at the
 * size its labels say, every box and polygon lies inside it, every file is in SOURCES.md with its
 * checksum, and the generated text images' labels are what the generator makes.
 */
class EvaluationSetsTest {

    static final Path FACES = Repo.path("datasets/src/main/resources/datasets/faces");
    static final Path TEXT = Repo.path("datasets/src/main/resources/datasets/text");

    static BufferedImage image(String folder, String file) throws Exception {
        try (InputStream in = EvaluationSetsTest.class.getResourceAsStream(folder + "images/" + file)) {
            assertThat(in).as(folder + file).isNotNull();
            return ImageIO.read(in);
        }
    }

    @Test
    void facesSetHasItsPhotosFacesAndNegatives() throws Exception {
        FaceSet set = FaceSet.bundled();
        long withFaces = set.images().stream().filter(p -> !p.negative()).count();
        long faces = set.images().stream().mapToLong(p -> p.faces().size()).sum();
        long negatives = set.images().stream().filter(FaceSet.Photo::negative).count();
        assertThat(withFaces).isEqualTo(11);
        assertThat(faces).isEqualTo(34);
        assertThat(negatives).isEqualTo(14);
        String sources = Files.readString(FACES.resolve("SOURCES.md"));
        for (FaceSet.Photo p : set.images()) {
            BufferedImage img = image(FaceSet.BUNDLED, p.file());
            assertThat(img).as(p.file()).isNotNull();
            assertThat(img.getWidth()).as(p.file()).isEqualTo(p.width());
            assertThat(img.getHeight()).as(p.file()).isEqualTo(p.height());
            assertThat(Math.max(p.width(), p.height())).as(p.file() + " long side").isLessThanOrEqualTo(1600);
            for (FaceSet.Face f : p.faces()) {
                Region r = f.region();
                assertThat(r.minX()).as(p.file()).isGreaterThanOrEqualTo(0);
                assertThat(r.minY()).as(p.file()).isGreaterThanOrEqualTo(0);
                assertThat(r.maxX()).as(p.file()).isLessThanOrEqualTo(p.width());
                assertThat(r.maxY()).as(p.file()).isLessThanOrEqualTo(p.height());
                assertThat(r.area()).as(p.file()).isGreaterThan(100);
            }
            assertThat(sources).as("SOURCES.md row of " + p.file())
                    .contains("| `" + p.file() + "` | " + sha256(FACES.resolve("images").resolve(p.file())) + " |");
            if (p.derivedFrom() != null) {
                assertThat(set.images().stream().map(FaceSet.Photo::file)).contains(p.derivedFrom());
            }
        }
    }

    @Test
    void textSetLinesLieInsideTheirImages() throws Exception {
        TextSet set = TextSet.bundled();
        assertThat(set.images()).hasSize(TextSetGenerator.COUNT + 2);
        assertThat(set.images().stream().filter(TextSet.Image::clean).count()).isEqualTo(TextSetGenerator.CLEAN + 1);
        Set<String> files = set.images().stream().map(TextSet.Image::file).collect(Collectors.toSet());
        assertThat(files).hasSize(set.images().size());
        for (TextSet.Image im : set.images()) {
            BufferedImage img = image(TextSet.BUNDLED, im.file());
            assertThat(img.getWidth()).as(im.file()).isEqualTo(im.width());
            assertThat(img.getHeight()).as(im.file()).isEqualTo(im.height());
            assertThat(im.lines()).as(im.file()).isNotEmpty();
            assertThat(im.text()).as(im.file()).isNotBlank();
            for (TextSet.Line l : im.lines()) {
                assertThat(l.polygon()).hasSize(8);
                Region r = l.region();
                assertThat(r.minX()).as(im.file() + " " + l.text()).isGreaterThanOrEqualTo(-0.5);
                assertThat(r.minY()).as(im.file() + " " + l.text()).isGreaterThanOrEqualTo(-0.5);
                assertThat(r.maxX()).as(im.file() + " " + l.text()).isLessThanOrEqualTo(im.width() + 0.5);
                assertThat(r.maxY()).as(im.file() + " " + l.text()).isLessThanOrEqualTo(im.height() + 0.5);
            }
        }
    }

    @Test
    void cleanMeansUndegradedAndTheDegradationsStayInTheirRanges() throws Exception {
        int degraded = 0;
        for (TextSet.Image im : TextSet.bundled().images()) {
            if (!"generated".equals(im.source())) {
                continue;
            }
            Map<String, Object> c = im.conditions();
            double rotation = ((Number) c.get("rotationDeg")).doubleValue();
            double blur = ((Number) c.get("blurSigma")).doubleValue();
            int jpeg = ((Number) c.get("jpegQuality")).intValue();
            boolean photo = !"plain".equals(c.get("background"));
            int blocks = ((Number) c.get("blocks")).intValue();
            assertThat(Math.abs(rotation)).as(im.file()).isLessThanOrEqualTo(TextSetGenerator.MAX_ROTATION);
            assertThat(blur).as(im.file()).isBetween(0.0, 1.6);
            assertThat(jpeg == 0 || jpeg >= 25 && jpeg <= 70 || jpeg == TextSetGenerator.STORE_QUALITY && photo).as(im.file()).isTrue();
            assertThat(im.file().endsWith(".jpg")).as(im.file()).isEqualTo(jpeg > 0);
            for (Object px : (List<?>) c.get("sizesPx")) {
                assertThat(((Number) px).intValue()).as(im.file()).isBetween(TextSetGenerator.MIN_PX, TextSetGenerator.MAX_PX);
            }
            if (im.clean()) {
                assertThat(rotation == 0 && blur == 0 && jpeg == 0 && !photo).as(im.file()).isTrue();
            } else {
                assertThat(rotation != 0 || blur > 0 || jpeg > 0 || photo || blocks > 1).as(im.file()).isTrue();
                degraded++;
            }
        }
        assertThat(degraded).isEqualTo(TextSetGenerator.COUNT - TextSetGenerator.CLEAN);
    }

    @Test
    void generatedTextLabelsAreWhatTheGeneratorMakes() throws Exception {
        // Liberation, FreeFont and Noto are not shipped (OFL / GPL): skipped, naming the packages, without them.
        Path fonts = SystemDeps.systemFontFolder(TextSetGenerator.FONTS);
        List<Path> fontFiles = TextSetGenerator.FONTS.stream().map(fonts::resolve).toList();
        TextSetGenerator gen = new TextSetGenerator(fontFiles,
                TextSetGenerator.TEXTURES.stream().map(FACES.resolve("images")::resolve).toList());
        TextSet committed = TextSet.bundled();
        for (int i = 0; i < TextSetGenerator.COUNT; i++) {
            TextSet.Image made = gen.render(TextSetGenerator.SEED, i).label();
            TextSet.Image had = committed.images().get(i);
            assertThat(made.file()).isEqualTo(had.file());
            assertThat(made.width()).as(had.file()).isEqualTo(had.width());
            assertThat(made.height()).as(had.file()).isEqualTo(had.height());
            assertThat(made.lines()).as(had.file()).hasSameSizeAs(had.lines());
            for (int l = 0; l < made.lines().size(); l++) {
                assertThat(made.lines().get(l).text()).isEqualTo(had.lines().get(l).text());
                assertThat(made.lines().get(l).polygon()).as(had.file() + " line " + l)
                        .containsExactly(had.lines().get(l).polygon(), org.assertj.core.api.Assertions.within(0.11));
            }
        }
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
