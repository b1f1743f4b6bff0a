package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Faces in groups and crowds (issue 29), measured on demand in one run beside the peers:
 * <pre>
 * ./mvnw -B -o surefire:test -Dtest=GroupFacesStudyTest -Dfaces.groups=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * The set is {@link GroupFacesMeasure#set()} (the Solvay photo only where its package was extracted,
 * see {@link GroupFaceSet#SOLVAY_PATHS}). Rows: BlazeFace back 256 with the card's tiling, the whole
 * photo alone, the single level of tiles the card had before the pyramid, and pyramids given as
 * {@code -Dfaces.groups.tilings=overlap:maxFace:zoom:finest:maxTiles,...}, each as head boxes (the
 * card's {@link HeadBox}); OpenCV's Haar cascade (every box) and face-api's SSD (whole photo, its
 * card's cut), skipped with {@code -Dfaces.groups.peers=false}.
 * Writes {@code target/group-faces-study.md}.
 */
@EnabledIfSystemProperty(named = "faces.groups", matches = "true")
class GroupFacesStudyTest {

    static final double AP_FLOOR = 0.05;

    @Test
    void measure() throws Exception {
        List<FaceEvalSet.Photo> set = GroupFacesMeasure.set();
        int faces = set.stream().mapToInt(p -> p.faces().size()).sum();
        StringBuilder md = new StringBuilder("Group set: ").append(set.size()).append(" photos, ").append(faces).append(" faces (")
                .append(set.stream().map(p -> p.file() + " " + p.image().getWidth() + "x" + p.image().getHeight() + " " + p.faces().size())
                        .toList())
                .append(")\n\n").append(GroupFacesMeasure.Figures.header());
        List<GroupFacesMeasure.Figures> rows = new ArrayList<>();
        try (FaceModels m = new FaceModels("blazeface-back-256")) {
            double cut = m.card.taskOption(FacesTask.MIN_SCORE, FacesTask.DEFAULT_MIN_SCORE);
            HeadBox head = HeadBox.of(m.card);
            Map<String, FaceFinder.Tiling> tilings = new LinkedHashMap<>();
            tilings.put("card", FacesTask.tiling(m.card));
            tilings.putAll(candidates());
            m.detect(set.get(0).image(), FacesTask.tiling(m.card), AP_FLOOR, 1000); // warm-up
            for (var t : tilings.entrySet()) {
                rows.add(GroupFacesMeasure.measure("blazeface-back-256, " + t.getKey() + ", views on the crowd-60: "
                        + FaceFinder.views(1740, 1620, 256, t.getValue(), 1).size() + ", head boxes", set,
                        p -> m.detect(p.image(), t.getValue(), AP_FLOOR, 1000).stream()
                                .map(f -> head.apply(f, p.image().getWidth(), p.image().getHeight())).toList(), cut));
                System.out.println(rows.get(rows.size() - 1).row());
            }
        }
        boolean peers = !"false".equals(System.getProperty("faces.groups.peers"));
        GroupFacesMeasure.Detector haar = peers ? GroupFacesMeasure.haar(set) : null;
        if (haar != null) {
            rows.add(GroupFacesMeasure.measure("OpenCV 4.6 Haar cascade (frontalface_default, scaleFactor 1.1, minNeighbors 3), every box",
                    set, haar, 0));
        }
        if (peers) {
            try (FaceModels ssd = new FaceModels(io.imageworker.testing.ImportedSsd.NAME)) {
                double cut = ssd.card.taskOption(FacesTask.MIN_SCORE, FacesTask.DEFAULT_MIN_SCORE);
                ssd.detect(set.get(0).image(), FaceFinder.Tiling.NONE, AP_FLOOR, 1000);
                rows.add(GroupFacesMeasure.measure("face-api SSD-MobileNetV1, whole photo, score >= " + cut, set,
                        p -> ssd.detect(p.image(), FaceFinder.Tiling.NONE, AP_FLOOR, 1000), cut));
            }
        }
        for (GroupFacesMeasure.Figures f : rows) {
            md.append(f.row()).append('\n');
        }
        Path out = Path.of("target", "group-faces-study.md");
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        assertThat(rows).isNotEmpty();
    }

    /**
     * Photos the head box mapping is fitted on, with every other face of the Solvay photo (by the
     * labels' order: rows, then left to right); it is judged on the other labelled photos' faces and
     * the Solvay photo's other half.
     */
    static final List<String> FIT = List.of("faceapi-sample1.jpg", "faceapi-sample2.jpg", "faceapi-sample3.jpg", "skimage-camera.png",
            "skimage-astronaut.png", "matplotlib-grace-hopper.jpg");

    /**
     * The head box mapping ({@link HeadBox}) of BlazeFace back 256 with the card's tiling, at its cut:
     * fitted on the faces of {@link #FIT} (and half the Solvay photo's), judged on the others
     * (mean IoU with the labels, share at IoU 0.5 and 0.7, before and after). Writes
     * {@code target/head-box-fit.md}.
     */
    @Test
    void fitHeadBox() throws Exception {
        HeadBoxFit.Pairs fit = new HeadBoxFit.Pairs();
        HeadBoxFit.Pairs judge = new HeadBoxFit.Pairs();
        List<FaceEvalSet.Photo> photos = new ArrayList<>(FaceEvalSet.load().stream()
                .filter(p -> p.derivedFrom() == null && !p.faces().isEmpty()).toList());
        FaceEvalSet.Photo solvay = GroupFaceSet.solvay();
        if (solvay != null) {
            photos.add(solvay);
        }
        try (FaceModels m = new FaceModels("blazeface-back-256")) {
            double cut = m.card.taskOption(FacesTask.MIN_SCORE, FacesTask.DEFAULT_MIN_SCORE);
            for (FaceEvalSet.Photo p : photos) {
                List<FaceDetection> found = m.detect(p.image(), FacesTask.tiling(m.card), cut, 1000);
                if (p == solvay) { // its faces in turn: half to fit, half to judge
                    List<FaceEvalSet.Truth> even = new ArrayList<>();
                    List<FaceEvalSet.Truth> odd = new ArrayList<>();
                    for (int i = 0; i < p.faces().size(); i++) {
                        (i % 2 == 0 ? even : odd).add(p.faces().get(i));
                    }
                    fit.add(found, even);
                    judge.add(found, odd);
                } else {
                    (FIT.contains(p.file()) ? fit : judge).add(found, p.faces());
                }
            }
        }
        HeadBox mapping = HeadBox.fit(fit.detected(), fit.labelled());
        HeadBox refit = HeadBox.fit(judge.detected(), judge.labelled());
        String md = String.format(java.util.Locale.ROOT, "fitted on %s: %s%n%nfit set, detector box: %s%n%nfit set, head box: %s%n%n"
                + "judged on the rest%s, detector box: %s%n%njudged on the rest, head box: %s%n%n"
                + "(the same fit on the judged faces alone would give %s)%n", FIT, mapping, fit.describe(HeadBox.IDENTITY), fit.describe(mapping),
                solvay == null ? " (Solvay photo absent)" : " (with half the Solvay photo's faces; the other half is in the fit)", judge.describe(HeadBox.IDENTITY),
                judge.describe(mapping), refit);
        Files.writeString(Path.of("target", "head-box-fit.md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
        assertThat(judge.judge(mapping)[0]).isGreaterThan(judge.judge(HeadBox.IDENTITY)[0]);
    }

    /** The tilings compared with the card's. */
    static Map<String, FaceFinder.Tiling> candidates() {
        Map<String, FaceFinder.Tiling> out = new LinkedHashMap<>();
        out.put("whole only", FaceFinder.Tiling.NONE);
        out.put("single level of 2 tiles along the short side (the card before the pyramid)", new FaceFinder.Tiling(2, 0.25, 32));
        for (String spec : System.getProperty("faces.groups.tilings", "none").split(",")) {
            if (spec.isBlank() || spec.equals("none")) {
                continue;
            }
            String[] v = spec.split(":"); // overlap:maxFace:zoom:finest:maxTiles
            out.put("pyramid " + spec, FaceFinder.Tiling.pyramid(Double.parseDouble(v[0]), Double.parseDouble(v[1]),
                    Double.parseDouble(v[2]), Double.parseDouble(v[3]), Integer.parseInt(v[4])));
        }
        return out;
    }
}
