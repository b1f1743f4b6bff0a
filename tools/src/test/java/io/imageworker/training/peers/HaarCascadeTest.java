package io.imageworker.training.peers;

import io.imageworker.testing.Repo;
import io.imageworker.testing.Peers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.testing.SystemDeps;
import io.imageworker.training.metrics.FaceSet;
import io.imageworker.training.metrics.Region;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The script's JSON becomes faces; on the astronaut portrait the cascade boxes the labelled face and finds none on bricks. */
class HaarCascadeTest {

    @Test
    void jsonLinesBecomeFacesAndErrorsBecomeExceptions() throws Exception {
        List<HaarCascade.Face> f = HaarCascade.parse(
                "{\"image\": \"a.png\", \"width\": 512, \"height\": 512, \"faces\": [{\"box\": [177, 67, 93, 93], \"score\": 7.4}]}");
        assertThat(f).containsExactly(new HaarCascade.Face(Region.box(177, 67, 93, 93), 7.4));
        assertThat(HaarCascade.parse("{\"image\": \"b.png\", \"width\": 4, \"height\": 4, \"faces\": []}")).isEmpty();
        assertThatThrownBy(() -> HaarCascade.parse("{\"image\": \"c.png\", \"error\": \"cannot read image\"}"))
                .isInstanceOf(IOException.class).hasMessageContaining("c.png");
    }

    @Test
    void findsTheAstronautsFaceAndNoFaceOnBricks() throws Exception {
        HaarCascade haar = Peers.haarCascade(Path.of("."));
        Path folder = Repo.path("datasets/src/main/resources/datasets/faces");
        FaceSet set = FaceSet.read(folder);
        FaceSet.Photo astronaut = set.images().stream().filter(p -> p.file().equals("skimage-astronaut.png")).findFirst().orElseThrow();
        Path a = folder.resolve("images/skimage-astronaut.png");
        Path b = folder.resolve("images/skimage-brick.png");
        Map<Path, List<HaarCascade.Face>> found = haar.detect(List.of(a, b));
        assertThat(found.get(a)).hasSize(1);
        assertThat(found.get(a).get(0).box().iou(astronaut.faces().get(0).region())).isGreaterThanOrEqualTo(0.5);
        assertThat(found.get(b)).isEmpty();
    }
}
