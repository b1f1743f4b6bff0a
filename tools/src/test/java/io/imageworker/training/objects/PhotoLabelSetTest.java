package io.imageworker.training.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.tasks.objects.CocoLabels;
import java.util.List;
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
}
