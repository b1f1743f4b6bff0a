package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.Region;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurements behind the faces task's choices, run on demand (a few minutes on 2 cores):
 * <pre>
 * ./mvnw -B -o test -Dtest=FacesStudyTest -Dfaces.study=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * For each model (back 256, front 128) and input scaling ([-1, 1] as MediaPipe feeds BlazeFace, or [0, 1])
 * on the whole photo, then for tilings (2 or 3 tiles along the short side, 25% overlap, tiles adding
 * faces of any size or only those under 32, 24, 16 px in the whole view), over the
 * faces evaluation set ({@code datasets/faces}) and a collage of its six group photos (faces 2-5% of
 * the collage's width): average precision at IoU 0.5, precision and recall at score 0.75, false
 * positives per negative photo, all by the project's {@link DetectionEvaluation} (VOC rules, as the
 * Haar peer is scored); then the time per photo of the default settings against the whole
 * photo alone (views rendered, model, decoding, NMS; one thread calling, ONNX Runtime's default
 * intra-op threads; see {@link #timings}). Writes
 * {@code target/faces-study.md}.
 */
@EnabledIfSystemProperty(named = "faces.study", matches = "true")
class FacesStudyTest {

    static final double CUT = 0.75;
    static final double AP_FLOOR = 0.05;

    record Config(String model, String scaling, FaceFinder.Tiling tiling) {}

    @Test
    void measure() throws Exception {
        List<FaceEvalSet.Photo> set = FaceEvalSet.load();
        List<FaceEvalSet.Photo> groups = set.stream().filter(p -> p.file().startsWith("faceapi-") && p.derivedFrom() == null).toList();
        FaceEvalSet.Photo collage = FaceEvalSet.collage("collage-3x2", groups, 3, 640, 512);
        List<Config> configs = new ArrayList<>();
        double any = Double.POSITIVE_INFINITY;
        for (String model : List.of("blazeface-back-256", "blazeface-front-128")) { // input scaling, whole photo
            for (String scaling : List.of("[-1,1]", "[0,1]")) {
                configs.add(new Config(model, scaling, FaceFinder.Tiling.NONE));
            }
        }
        for (double maxFace : new double[] {any, 32, 24, 16}) { // tiles, and which faces they may add
            configs.add(new Config("blazeface-back-256", "[-1,1]", new FaceFinder.Tiling(2, 0.25, maxFace)));
        }
        configs.add(new Config("blazeface-back-256", "[0,1]", new FaceFinder.Tiling(2, 0.25, 32)));
        configs.add(new Config("blazeface-back-256", "[-1,1]", new FaceFinder.Tiling(3, 0.25, 24)));
        configs.add(new Config("blazeface-front-128", "[-1,1]", new FaceFinder.Tiling(2, 0.25, any)));
        configs.add(new Config("blazeface-front-128", "[-1,1]", new FaceFinder.Tiling(2, 0.25, 16)));
        // face-api's SSD-MobileNetV1 (512 px input), whole photo as face-api reads it and with the back model's tiles
        configs.add(new Config("face-api-ssd-mobilenetv1", "[-1,1]", FaceFinder.Tiling.NONE));
        configs.add(new Config("face-api-ssd-mobilenetv1", "[-1,1]", new FaceFinder.Tiling(2, 0.25, 32)));
        StringBuilder md = new StringBuilder();
        md.append("| model | scaling | tiles | tile faces < px | AP all (").append(set.size()).append(" photos)")
                .append(" | AP without quarter copies | AP group photos | AP collage | P@0.75 | R@0.75 | FP/negative@0.75")
                .append(" | collage R@0.75 | median score of hits | highest score on a negative |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Config c : configs) {
            try (FaceModels m = new FaceModels(c.model())) {
                Preprocessor.Spec spec = spec(m, c.scaling());
                m.detect(set.get(0).image(), spec, c.tiling(), AP_FLOOR, 100); // warm-up
                DetectionEvaluation all = DetectionEvaluation.voc();
                DetectionEvaluation independent = DetectionEvaluation.voc();
                DetectionEvaluation group = DetectionEvaluation.voc();
                List<Double> hitScores = new ArrayList<>();
                double negativeMax = 0;
                for (FaceEvalSet.Photo p : set) {
                    List<DetectionEvaluation.Truth> truth = truths(p);
                    List<FaceDetection> faces = m.detect(p.image(), spec, c.tiling(), AP_FLOOR, 100);
                    for (FaceEvalSet.Scored sc : FaceEvalSet.match(faces, p.faces())) {
                        if (sc.kind() == FaceEvalSet.Scored.TP) {
                            hitScores.add(sc.score());
                        }
                    }
                    if (p.faces().isEmpty()) {
                        negativeMax = Math.max(negativeMax, faces.stream().mapToDouble(FaceDetection::score).max().orElse(0));
                    }
                    List<DetectionEvaluation.Detection> found = detections(faces);
                    all.add(truth, found);
                    if (p.derivedFrom() == null) {
                        independent.add(truth, found);
                    }
                    if (groups.contains(p)) {
                        group.add(truth, found);
                    }
                }
                DetectionEvaluation col = DetectionEvaluation.voc()
                        .add(truths(collage), detections(m.detect(collage.image(), spec, c.tiling(), AP_FLOOR, 100)));
                DetectionEvaluation.Counts at = all.at(CUT);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                        c.model(), c.scaling(), c.tiling().grid() == 1 ? "whole only" : "whole + " + c.tiling().grid() + " per short side",
                        c.tiling().grid() == 1 ? "-" : Double.isInfinite(c.tiling().maxFace()) ? "any" : String.format(Locale.ROOT, "%.0f", c.tiling().maxFace()),
                        all.averagePrecision(), independent.averagePrecision(), group.averagePrecision(), col.averagePrecision(),
                        at.precision(), at.recall(), at.falsePositivesPerNegativeImage(), col.at(CUT).recall(),
                        hitScores.stream().mapToDouble(Double::doubleValue).sorted().skip(hitScores.size() / 2).findFirst().orElse(0),
                        negativeMax));
                System.out.println(md.substring(md.lastIndexOf("\n", md.length() - 2) + 1));
            }
        }
        md.append("\n").append(timings(groups, collage));
        Path out = Path.of("target", "faces-study.md");
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        assertThat(configs).isNotEmpty();
    }

    /**
     * Time per photo of the task's default settings against the whole photo alone: for each of the
     * six group photos (1600 px) and the collage (1920x1024), the fastest of {@value #REPEATS} runs
     * (the machine is shared: the fastest run is the one least disturbed), then the median over the
     * group photos; and the model call alone on one view.
     */
    static String timings(List<FaceEvalSet.Photo> groups, FaceEvalSet.Photo collage) throws Exception {
        StringBuilder md = new StringBuilder("| model | tiles | views per group photo | ms per group photo (median of 6, best of ")
                .append(REPEATS).append(") | views collage | ms collage (best of ").append(REPEATS).append(") | ms per model call |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- |\n");
        record Timed(String model, FaceFinder.Tiling tiling) {}
        for (Timed t : List.of(new Timed("blazeface-back-256", FaceFinder.Tiling.NONE),
                new Timed("blazeface-back-256", FacesTask.tiling(FaceModels.readCard("blazeface-back-256"))),
                new Timed("blazeface-front-128", FaceFinder.Tiling.NONE),
                new Timed("face-api-ssd-mobilenetv1", FaceFinder.Tiling.NONE))) {
            try (FaceModels m = new FaceModels(t.model())) {
                m.detect(groups.get(0).image(), t.tiling(), 0.75, 100); // warm-up
                List<Long> perPhoto = new ArrayList<>();
                for (FaceEvalSet.Photo p : groups) {
                    perPhoto.add(best(() -> m.detect(p.image(), t.tiling(), 0.75, 100)));
                }
                long collageBest = best(() -> m.detect(collage.image(), t.tiling(), 0.75, 100));
                io.imageworker.imaging.ImageTensor blank = new io.imageworker.imaging.ImageTensor(
                        new float[3 * m.card.input().width() * m.card.input().height()], 3, m.card.input().height(),
                        m.card.input().width());
                long call = best(() -> m.call(blank));
                int w = groups.get(0).image().getWidth();
                int h = groups.get(0).image().getHeight();
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %d | %.0f | %.1f |%n", t.model(),
                        t.tiling().grid() == 1 ? "whole only" : "whole + " + t.tiling().grid() + " per short side",
                        FaceFinder.views(w, h, m.card.input().width(), t.tiling(), FacesTask.maxUpscale(m.card)).size(), median(perPhoto) / 1e6,
                        FaceFinder.views(collage.image().getWidth(), collage.image().getHeight(), m.card.input().width(),
                                t.tiling(), FacesTask.maxUpscale(m.card)).size(), collageBest / 1e6, call / 1e6));
            }
        }
        return md.toString();
    }

    static final int REPEATS = 5;

    interface Run {
        void run() throws Exception;
    }

    static long best(Run r) throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    static double median(List<Long> v) {
        List<Long> s = v.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2.0;
    }

    static Preprocessor.Spec spec(FaceModels m, String scaling) {
        Preprocessor.Spec card = m.card.input().spec();
        float[] mean = scaling.equals("[-1,1]") ? new float[] {0.5f} : new float[] {0f};
        float[] std = scaling.equals("[-1,1]") ? new float[] {0.5f} : new float[] {1f};
        return new Preprocessor.Spec(card.width(), card.height(), 3, mean, std, false, card.bgr());
    }

    static List<DetectionEvaluation.Truth> truths(FaceEvalSet.Photo p) {
        return p.faces().stream()
                .map(f -> new DetectionEvaluation.Truth(Region.box(f.x(), f.y(), f.width(), f.height()), f.difficult())).toList();
    }

    static List<DetectionEvaluation.Detection> detections(List<FaceDetection> found) {
        return found.stream()
                .map(f -> new DetectionEvaluation.Detection(Region.box(f.x(), f.y(), f.width(), f.height()), f.score())).toList();
    }


}
