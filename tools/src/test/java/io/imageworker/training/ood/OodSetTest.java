package io.imageworker.training.ood;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.testing.SystemDeps;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The committed evaluation set of non-digits is what its generator makes from its seed. */
class OodSetTest {

    /**
     * The fonts the committed letters were drawn with (OodSet's main, as the set's README gives the
     * command); shipped with the tests (src/test/resources/fonts), so the letters are always compared.
     */
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
        List<BufferedImage> photos = new ArrayList<>();
        for (String p : List.of("landscape.png", "tricolour.png")) {
            photos.add(ImageIO.read(Repo.path("deploy/local/demo/photos", p).toFile()));
        }
        OodImages gen = new OodImages(OodImages.fonts(FONTS.stream().map(SystemDeps::font).toList()));
        OodSet made = OodSet.generate(gen, OodSet.EVALUATION_SEED, OodSet.EVALUATION_COUNTS, photos, OodSet.PHOTO_CROPS);
        OodSet bundled = OodSet.bundled();
        int compared = 0;
        for (OodSet.Entry e : made.images()) {
            OodSet.Entry committed = bundled.images().stream().filter(b -> b.name().equals(e.name())).findFirst().orElseThrow();
            assertThat(pixels(e.image())).as(e.name()).isEqualTo(pixels(committed.image()));
            compared++;
        }
        assertThat(compared).isEqualTo(OodSet.EVALUATION_COUNTS.values().stream().mapToInt(Integer::intValue).sum());
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
