package io.imageworker.training.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.tasks.objects.CocoLabels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link PhotoLabelSet}: the labelled photos as shipped, and how found labels score. */
class PhotoLabelSetTest {

    @Test
    void everyPhotoIsCarriedAndEveryNameIsCoco80() throws Exception {
        List<PhotoLabelSet.Photo> photos = PhotoLabelSet.read();

        assertThat(photos).hasSize(50);
        for (PhotoLabelSet.Photo p : photos) {
            assertThat(PhotoLabelSet.class.getResource("/datasets/" + p.path())).as(p.path()).isNotNull();
            assertThat(CocoLabels.NAMES).as(p.path()).containsAll(p.present()).containsAll(p.acceptable());
            assertThat(p.present().stream().filter(p.acceptable()::contains)).as(p.path()).isEmpty();
        }
        assertThat(photos.stream().filter(p -> p.present().isEmpty()).count()).as("photos without a COCO object")
                .isEqualTo(35);
    }

    @Test
    void acceptableLabelsCountNeitherWayAndWrongOnesOnEmptyPhotosAreCounted() {
        PhotoLabelSet.Photo coffee = new PhotoLabelSet.Photo("c", Set.of("cup", "spoon"), Set.of("dining table"));
        PhotoLabelSet.Photo empty = new PhotoLabelSet.Photo("e", Set.of(), Set.of("boat"));

        PhotoLabelSet.Score s = PhotoLabelSet.Score.NONE.plus(coffee, List.of("cup", "cup", "dining table", "bowl"))
                .plus(empty, List.of("boat", "bird", "kite"));

        assertThat(s.right()).isEqualTo(1);
        assertThat(s.wrong()).isEqualTo(3); // bowl, bird, kite
        assertThat(s.truth()).isEqualTo(2);
        assertThat(s.precision()).isCloseTo(0.25, within(1e-9));
        assertThat(s.recall()).isCloseTo(0.5, within(1e-9));
        assertThat(s.f1()).isCloseTo(2 * 0.25 * 0.5 / 0.75, within(1e-9));
        assertThat(s.emptyPhotos()).isEqualTo(1);
        assertThat(s.wrongPerEmptyPhoto()).isEqualTo(2.0);
    }

    @Test
    void labelMapRanksEachClassesPhotosByItsBestScore() {
        PhotoLabelSet.Photo cat = new PhotoLabelSet.Photo("a", Set.of("cat"), Set.of());
        PhotoLabelSet.Photo dog = new PhotoLabelSet.Photo("b", Set.of("dog"), Set.of("cat"));
        PhotoLabelSet.Photo none = new PhotoLabelSet.Photo("c", Set.of(), Set.of());
        PhotoLabelSet.Ranking r = new PhotoLabelSet.Ranking();
        r.add(cat, Map.of("cat", 0.5, "dog", 0.6));
        r.add(dog, Map.of("cat", 0.9, "dog", 0.4)); // cat acceptable here: left out of cat's ranking
        r.add(none, Map.of("cat", 0.7, "bird", 0.8)); // bird: no photo shows one, no AP

        Map<String, Double> ap = r.perClass();
        assertThat(ap.keySet()).containsExactly("cat", "dog");
        assertThat(ap.get("cat")).isCloseTo(0.5, within(1e-12)); // 0.7 F, 0.5 T
        assertThat(ap.get("dog")).isCloseTo(0.5, within(1e-12)); // 0.6 F, 0.4 T
        assertThat(r.meanAp()).isCloseTo(0.5, within(1e-12));
    }
}
