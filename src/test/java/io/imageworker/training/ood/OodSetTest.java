package io.imageworker.training.ood;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.training.ood.OodImages.Group;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The committed evaluation set of non-digits is what its generator makes from its seed. */
class OodSetTest {

    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");
    /** The fonts the committed letters were drawn with (OodSet's main, as the set's README gives the command). */
    static final List<String> FONTS = List.of("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf",
            "DejaVuSerif-Italic.ttf", "DejaVuSansMono.ttf", "DejaVuSansCondensed-Oblique.ttf",
            "DejaVuSerifCondensed-Bold.ttf", "DejaVuSans-ExtraLight.ttf");

    @Test
    void theBundledSetHasEveryGroupAtItsCount() throws Exception {
        OodSet set = OodSet.bundled();
        assertThat(set.counts()).isEqualTo(new java.util.EnumMap<>(OodSet.EVALUATION_COUNTS));
        for (OodSet.Entry e : set.images()) {
            assertThat(e.image()).as(e.name()).isNotNull();
            assertThat(e.image().getWidth()).as(e.name()).isGreaterThanOrEqualTo(28);
        }
    }

    @Test
    void regeneratingFromTheSeedGivesTheCommittedPixels() throws Exception {
        boolean fonts = FONTS.stream().allMatch(f -> Files.isRegularFile(DEJAVU.resolve(f)));
        List<BufferedImage> photos = new ArrayList<>();
        for (String p : List.of("landscape.png", "tricolour.png")) {
            photos.add(ImageIO.read(Path.of("deploy/local/demo/photos", p).toFile()));
        }
        OodImages gen = new OodImages(fonts ? OodImages.fonts(FONTS.stream().map(DEJAVU::resolve).toList()) : List.of());
        Map<Group, Integer> counts = new java.util.HashMap<>(OodSet.EVALUATION_COUNTS);
        if (!fonts) {
            counts.remove(Group.LETTERS);
        }
        OodSet made = OodSet.generate(gen, OodSet.EVALUATION_SEED, counts, photos, OodSet.PHOTO_CROPS);
        OodSet bundled = OodSet.bundled();
        int compared = 0;
        for (OodSet.Entry e : made.images()) {
            OodSet.Entry committed = bundled.images().stream().filter(b -> b.name().equals(e.name())).findFirst().orElseThrow();
            assertThat(pixels(e.image())).as(e.name()).isEqualTo(pixels(committed.image()));
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(300);
        Assumptions.assumeTrue(fonts, "DejaVu fonts absent: letters not regenerated");
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
