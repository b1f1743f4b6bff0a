package io.imageworker.training.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.tasks.objects.CocoLabels;
import io.imageworker.tasks.objects.FoundObject;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** {@link PhotoBoxSet}: the boxes as shipped, and VOC matching at IoU 0.5. */
class PhotoBoxSetTest {

    @Test
    void everyBoxedPhotoIsLabelledAndEveryBoxIsACocoClassInsideItsPhotoAndPresentThere() throws Exception {
        Map<String, List<PhotoBoxSet.Box>> boxed = PhotoBoxSet.read();
        Map<String, PhotoLabelSet.Photo> labelled = PhotoLabelSet.read().stream()
                .collect(Collectors.toMap(PhotoLabelSet.Photo::path, p -> p));

        assertThat(boxed.size()).as("boxed photos").isGreaterThanOrEqualTo(15);
        assertThat(boxed.values().stream().filter(b -> !b.isEmpty()).count()).as("boxed photos with an object")
                .isGreaterThanOrEqualTo(13);
        assertThat(labelled.keySet()).containsAll(boxed.keySet()).containsAll(PhotoBoxSet.DEV);
        for (Map.Entry<String, List<PhotoBoxSet.Box>> e : boxed.entrySet()) {
            PhotoLabelSet.Photo photo = labelled.get(e.getKey());
            BufferedImage img;
            try (InputStream in = PhotoBoxSet.class.getResourceAsStream("/datasets/" + e.getKey())) {
                img = ImageIO.read(in);
            }
            Set<String> names = e.getValue().stream().map(PhotoBoxSet.Box::name).collect(Collectors.toSet());
            // the boxes and the labels agree: every present class boxed, nothing boxed that is not present
            assertThat(names).as(e.getKey()).isEqualTo(photo.present());
            for (PhotoBoxSet.Box b : e.getValue()) {
                assertThat(CocoLabels.NAMES).contains(b.name());
                assertThat(b.width()).as("%s %s", e.getKey(), b).isPositive();
                assertThat(b.height()).as("%s %s", e.getKey(), b).isPositive();
                assertThat(b.x() + b.width()).as("%s %s", e.getKey(), b).isLessThanOrEqualTo(img.getWidth());
                assertThat(b.y() + b.height()).as("%s %s", e.getKey(), b).isLessThanOrEqualTo(img.getHeight());
                assertThat(b.x()).isNotNegative();
                assertThat(b.y()).isNotNegative();
            }
        }
    }

    @Test
    void eachTruthMatchesOnceDifficultAndAcceptableCountNeitherWay() {
        List<PhotoBoxSet.Box> truth = List.of(new PhotoBoxSet.Box("person", 0, 0, 100, 100, false),
                new PhotoBoxSet.Box("person", 200, 0, 100, 100, true));
        PhotoBoxSet.Tally t = new PhotoBoxSet.Tally();
        t.add(truth, List.of(
                new FoundObject("person", 0.9, 10, 10, 100, 100), // IoU 0.68: right
                new FoundObject("person", 0.8, 0, 0, 100, 100), // the same truth again: wrong
                new FoundObject("person", 0.7, 200, 0, 100, 100), // the difficult box: neither
                new FoundObject("dog", 0.95, 0, 0, 100, 100), // no dog box: wrong
                new FoundObject("couch", 0.99, 0, 0, 50, 50)), // acceptable here: neither
                Set.of("couch"));

        assertThat(t.truths()).isEqualTo(1);
        Map<String, Double> ap = t.perClass();
        assertThat(ap.keySet()).containsExactly("person");
        assertThat(ap.get("person")).isCloseTo(1.0, within(1e-12));
        // a second photo whose person is found only below a false one
        t.add(List.of(new PhotoBoxSet.Box("person", 0, 0, 10, 10, false)), List.of(
                new FoundObject("person", 0.95, 50, 50, 10, 10), new FoundObject("person", 0.5, 1, 1, 10, 10)), Set.of());
        // ranked: 0.95 F, 0.9 T, 0.8 F, 0.5 T (IoU 0.68): precision 1/2 at recall 1/2, 1/2 at 1
        assertThat(t.meanAp()).isCloseTo(0.5, within(1e-12));
    }
}
