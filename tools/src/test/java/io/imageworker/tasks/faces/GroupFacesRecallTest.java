package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the default detector's recall on group photos and crowds (issue 29) at the figures the model
 * card and {@code docs/faces.md} give, by face size band, with its head boxes (the card's mapping)
 * against labels drawn forehead to chin, at the card's cut; and, where OpenCV is installed, at least
 * the Haar cascade's recall in every band at no more false faces per photo, on the same photos.
 *
 * <p>The crowds are made of the shipped group photos ({@link GroupFaceSet#crowd}) and run everywhere;
 * the Solvay photo is not shipped (GPL-2 package) and its test skips, saying so, where it was not
 * extracted ({@link GroupFaceSet#SOLVAY_PATHS}). A smaller set than the study's, to keep the suite's time:
 * the three near-square crowds of small faces and the group photos at 0.4 scale.
 */
class GroupFacesRecallTest {

    /** Recall floors per band (16-24, 24-32, 32-48, 48-96; >96 not in this subset), a few points under what was measured. */
    static final double[] FLOOR = {0.65, 0.65, 0.75, 0.8};
    /** Most false faces per photo at the card's cut (measured 1.44 on this subset; Haar makes about 6). */
    static final double MAX_FALSE_PER_PHOTO = 2.0;

    static FaceModels model;
    static List<FaceEvalSet.Photo> photos;

    @BeforeAll
    static void load() throws Exception {
        model = new FaceModels("blazeface-back-256");
        List<FaceEvalSet.Photo> groups = GroupFaceSet.groups();
        photos = new ArrayList<>();
        photos.add(GroupFaceSet.crowd("crowd-1740x1620-faces-40", groups, 1740, 1620, 40, 8));
        photos.add(GroupFaceSet.crowd("crowd-1600x1500-faces-28", groups, 1600, 1500, 28, 6));
        photos.add(GroupFaceSet.crowd("crowd-1200x1100-faces-20", groups, 1200, 1100, 20, 4));
        for (FaceEvalSet.Photo g : groups) {
            photos.add(GroupFaceSet.shrunk(g, 0.4, g.file() + "@0.4"));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The task's faces on a photo as head boxes: the card's tiling, cut and mapping. */
    static List<FaceDetection> heads(FaceEvalSet.Photo p, double floor) throws Exception {
        HeadBox head = HeadBox.of(model.card);
        return model.detect(p.image(), FacesTask.tiling(model.card), floor, 1000).stream()
                .map(f -> head.apply(f, p.image().getWidth(), p.image().getHeight())).toList();
    }

    static double cut() {
        return model.card.taskOption(FacesTask.MIN_SCORE, FacesTask.DEFAULT_MIN_SCORE);
    }

    @Test
    void crowdsOfSmallFacesAreFoundInEverySizeBand() throws Exception {
        GroupFacesMeasure.Figures f = GroupFacesMeasure.measure("default", photos, p -> heads(p, 0.05), cut());
        for (int b = 0; b < FLOOR.length; b++) {
            assertThat(f.recall(b)).as("recall %s px: %s", GroupFaceSet.bandName(b), f.row()).isGreaterThanOrEqualTo(FLOOR[b]);
        }
        assertThat(f.falsePerPhoto()).as(f.row()).isLessThanOrEqualTo(MAX_FALSE_PER_PHOTO);
        GroupFacesMeasure.Detector haar = GroupFacesMeasure.haar(photos);
        if (haar != null) { // the peer where OpenCV is installed: at least its recall, no more false faces
            GroupFacesMeasure.Figures h = GroupFacesMeasure.measure("haar", photos, haar, 0);
            for (int b = 0; b < FLOOR.length; b++) {
                assertThat(f.recall(b)).as("band %s: ours %s, Haar %s", GroupFaceSet.bandName(b), f.row(), h.row())
                        .isGreaterThanOrEqualTo(h.recall(b));
            }
            assertThat(f.falsePerPhoto()).as("ours %s, Haar %s", f.row(), h.row()).isLessThanOrEqualTo(h.falsePerPhoto());
        }
    }

    @Test
    void theSolvayPhotosFacesAreFound() throws Exception {
        FaceEvalSet.Photo solvay = GroupFaceSet.solvay();
        assumeTrue(solvay != null, "the 1927 Solvay photo is not shipped (its Debian package, visp-images-data, is GPL-2);"
                + " extract it (apt-get download visp-images-data; dpkg -x visp-images-data_*.deb target/group-faces) to run this");
        List<FaceDetection> found = heads(solvay, cut());
        GroupFaceSet.Matched m = GroupFaceSet.match(found, solvay.faces(), 0.5);
        int hits = 0;
        for (boolean b : m.found()) {
            hits += b ? 1 : 0;
        }
        // 29 faces of 40-61 px in 1280x926: 15 found before the pyramid; Haar finds 28 (and 7 false boxes)
        assertThat(hits).as("%d of 29 found, %d false", hits, m.falseDetections()).isGreaterThanOrEqualTo(27);
        assertThat(m.falseDetections()).isLessThanOrEqualTo(2);
    }
}
