package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.testing.Digits;
import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.Region;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurement behind {@link FacesTask#DEFAULT_MAX_UPSCALE}, run on demand (about 6 minutes on 2 cores):
 * <pre>
 * ./mvnw -B -o test -Dtest=FacesSmallInputStudyTest -Dfaces.small.study=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * The default model and tiles with candidate rules side by side, in one run: the whole view fitted
 * to the input as before (a small picture enlarged as much as it takes), enlarged at most 2 times or
 * not at all ({@code maxUpscale}), and fitted with faces under 20 or 32 px (the box's larger side,
 * source pixels) left out. On inputs without a face (the first MNIST test digits as uploaded, 28 px,
 * and enlarged 4 times to 112 px as the field cases are; the OOD set: small scenes, textures,
 * letters, blanks, noise; the text images, field cases and demo drawings), on real faces made small
 * (each of the 25 labelled faces of the independent photos cut out in a square twice its side,
 * scaled so the face is s px) and on the faces evaluation set and its collage (AP as the card's).
 * Writes {@code target/faces-small-study.md}.
 */
@EnabledIfSystemProperty(named = "faces.small.study", matches = "true")
class FacesSmallInputStudyTest {

    static final double CUT = 0.75;
    static final double FLOOR = 0.05;

    record Rule(String name, double maxUpscale, double minSide) {}

    record Named(String name, BufferedImage image) {}

    static final List<Rule> RULES = List.of(new Rule("fitted (before)", Double.POSITIVE_INFINITY, 0),
            new Rule("fitted, faces >= 20 px", Double.POSITIVE_INFINITY, 20), new Rule("fitted, faces >= 32 px", Double.POSITIVE_INFINITY, 32),
            new Rule("maxUpscale 2", 2, 0), new Rule("maxUpscale 1 (default)", 1, 0));

    @Test
    void measure() throws Exception {
        int digits = Integer.getInteger("faces.small.digits", 1000);
        Map<String, List<Named>> negatives = negatives(digits);
        List<FaceEvalSet.Photo> set = FaceEvalSet.load();
        List<FaceEvalSet.Photo> groups = set.stream().filter(p -> p.file().startsWith("faceapi-") && p.derivedFrom() == null)
                .sorted(java.util.Comparator.comparing(FaceEvalSet.Photo::file)).toList();
        FaceEvalSet.Photo collage = FaceEvalSet.collage("collage-3x2", groups, 3, 640, 512);
        int[] sides = {16, 24, 32, 48};
        StringBuilder neg = new StringBuilder("| rule |");
        StringBuilder negSep = new StringBuilder("| --- |");
        for (var e : negatives.entrySet()) {
            neg.append(' ').append(e.getKey()).append(" (").append(e.getValue().size()).append(") |");
            negSep.append(" --- |");
        }
        neg.append(" largest false face, source px | top false score |\n").append(negSep).append(" --- | --- |\n");
        StringBuilder pos = new StringBuilder("| rule | AP all | P@0.75 | R@0.75 | FP/negative@0.75 | AP collage | collage R@0.75 |");
        for (int s : sides) {
            pos.append(" real face ").append(s).append(" px in ").append(2 * s).append(" px: found |");
        }
        pos.append("\n|").append(" --- |".repeat(7 + sides.length)).append('\n');
        List<Named> smallFaces = new ArrayList<>();
        List<FaceEvalSet.Truth> smallTruths = new ArrayList<>();
        for (int s : sides) {
            for (FaceEvalSet.Photo p : set) {
                if (p.derivedFrom() != null) {
                    continue;
                }
                BufferedImage rgb = Preprocessor.flatten(p.image());
                for (FaceEvalSet.Truth t : p.faces()) {
                    Thumbnail thumb = thumbnail(rgb, t, s);
                    smallFaces.add(new Named(Integer.toString(s), thumb.image()));
                    smallTruths.add(thumb.face());
                }
            }
        }
        try (FaceModels m = new FaceModels("blazeface-back-256")) {
            FaceFinder.Tiling tiling = FacesTask.tiling(m.card);
            for (Rule r : RULES) {
                neg.append("| ").append(r.name()).append(" |");
                double largest = 0;
                double top = 0;
                for (var e : negatives.entrySet()) {
                    int faces = 0;
                    int images = 0;
                    for (Named n : e.getValue()) {
                        List<FaceDetection> found = keep(detect(m, n.image(), tiling, r.maxUpscale(), CUT, 100), r.minSide());
                        faces += found.size();
                        images += found.isEmpty() ? 0 : 1;
                        for (FaceDetection d : found) {
                            largest = Math.max(largest, Math.max(d.width(), d.height()));
                            top = Math.max(top, d.score());
                        }
                    }
                    neg.append(' ').append(faces).append(" (").append(images).append(") |");
                }
                neg.append(String.format(Locale.ROOT, " %.1f | %.3f |%n", largest, top));
                DetectionEvaluation all = DetectionEvaluation.voc();
                for (FaceEvalSet.Photo p : set) {
                    all.add(truths(p.faces()), detections(keep(detect(m, p.image(), tiling, r.maxUpscale(), FLOOR, 1000), r.minSide())));
                }
                DetectionEvaluation col = DetectionEvaluation.voc().add(truths(collage.faces()),
                        detections(keep(detect(m, collage.image(), tiling, r.maxUpscale(), FLOOR, 1000), r.minSide())));
                DetectionEvaluation.Counts at = all.at(CUT);
                pos.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |", r.name(), all.averagePrecision(),
                        at.precision(), at.recall(), at.falsePositivesPerNegativeImage(), col.averagePrecision(), col.at(CUT).recall()));
                for (int s : sides) {
                    int hit = 0;
                    int n = 0;
                    for (int i = 0; i < smallFaces.size(); i++) {
                        if (!smallFaces.get(i).name().equals(Integer.toString(s))) {
                            continue;
                        }
                        n++;
                        List<FaceDetection> found = keep(detect(m, smallFaces.get(i).image(), tiling, r.maxUpscale(), CUT, 100), r.minSide());
                        hit += FaceEvalSet.match(found, List.of(smallTruths.get(i))).stream()
                                .anyMatch(x -> x.kind() == FaceEvalSet.Scored.TP) ? 1 : 0;
                    }
                    pos.append(' ').append(hit).append(" / ").append(n).append(" |");
                }
                pos.append('\n');
                System.out.println(neg + "\n" + pos);
            }
        }
        String md = "## False faces (score >= 0.75): faces (images with one)\n\n" + neg + "\n## Faces\n\n" + pos;
        Files.writeString(Path.of("target", "faces-small-study.md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
        assertThat(negatives).isNotEmpty();
    }

    static Map<String, List<Named>> negatives(int digits) throws IOException {
        Map<String, List<Named>> out = new LinkedHashMap<>();
        List<Named> mnist = new ArrayList<>();
        List<Named> mnist112 = new ArrayList<>();
        for (int i = 0; i < digits; i++) {
            mnist.add(new Named("t10k-" + i, Digits.image(i)));
            if (i < digits / 5) {
                mnist112.add(new Named("t10k-" + i + "@112", scale(Preprocessor.flatten(Digits.image(i)), 4)));
            }
        }
        out.put("MNIST 28 px", mnist);
        out.put("MNIST at 112 px", mnist112);
        for (String line : resource("/datasets/ood/index.txt").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.trim().split(" ");
                out.computeIfAbsent("OOD " + f[0], k -> new ArrayList<>()).add(new Named(f[1], image("/datasets/ood/" + f[1])));
            }
        }
        List<Named> other = new ArrayList<>();
        for (int i = 0; i < 82; i++) {
            BufferedImage img = image(String.format(Locale.ROOT, "/datasets/text/images/gen-%03d.png", i));
            if (img != null) {
                other.add(new Named("text " + i, img));
            }
        }
        for (String f : List.of("/text/rotated.jpg", "/text/receipt.png", "/text/page.png", "/text/sign.png", "/text/upside-down.png",
                "/cases/field/exif-orient6-7.jpg", "/cases/field/photo-landscape.png", "/cases/field/cmyk-adobe-3.jpg",
                "/cases/field/la-white-ink-4.png")) {
            BufferedImage img = image(f);
            if (img != null) {
                other.add(new Named(f, img));
            }
        }
        for (String dir : List.of("deploy/local/demo/canvases", "deploy/local/demo/scenes")) {
            try (var files = Files.list(io.imageworker.testing.Repo.path(dir))) {
                for (Path p : files.sorted().toList()) {
                    other.add(new Named(p.toString(), ImageIO.read(p.toFile())));
                }
            }
        }
        out.put("text, field, demo drawings", other);
        return out;
    }

    record Key(BufferedImage image, double maxUpscale, double minScore) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.image == image && k.maxUpscale == maxUpscale && k.minScore == minScore;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(image) * 31 + Double.hashCode(maxUpscale) * 7 + Double.hashCode(minScore);
        }
    }

    /** Rules that differ only in the size filter share the model's answers. */
    static final Map<Key, List<FaceDetection>> SEEN = new java.util.HashMap<>();

    static List<FaceDetection> detect(FaceModels m, BufferedImage image, FaceFinder.Tiling tiling, double maxUpscale, double minScore,
            int maxResults) throws Exception {
        Key k = new Key(image, maxUpscale, minScore);
        List<FaceDetection> out = SEEN.get(k);
        if (out == null) {
            out = m.detect(image, tiling, maxUpscale, minScore, maxResults);
            SEEN.put(k, out);
        }
        return out;
    }

    static List<FaceDetection> keep(List<FaceDetection> faces, double minSide) {
        return faces.stream().filter(f -> Math.max(f.width(), f.height()) >= minSide).toList();
    }


    /** A face cut out in a square twice its size and scaled so that the face is {@code faceSide} px; {@code face} in the thumbnail's pixels. */
    record Thumbnail(BufferedImage image, FaceEvalSet.Truth face) {}

    /** {@code t} of {@code rgb} as a {@link Thumbnail} whose face's larger side is {@code faceSide} px. */
    static Thumbnail thumbnail(BufferedImage rgb, FaceEvalSet.Truth t, int faceSide) {
        double side = Math.max(t.width(), t.height());
        int c = (int) Math.round(2 * side);
        int x0 = (int) Math.round(Math.max(0, Math.min(rgb.getWidth() - c, t.x() + t.width() / 2 - side)));
        int y0 = (int) Math.round(Math.max(0, Math.min(rgb.getHeight() - c, t.y() + t.height() / 2 - side)));
        double k = faceSide / side;
        BufferedImage image = scale(rgb.getSubimage(x0, y0, Math.min(c, rgb.getWidth()), Math.min(c, rgb.getHeight())), k);
        return new Thumbnail(image, new FaceEvalSet.Truth((t.x() - x0) * k, (t.y() - y0) * k, t.width() * k, t.height() * k,
                false));
    }
    static BufferedImage scale(BufferedImage rgb, double k) {
        int w = Math.max(1, (int) Math.round(rgb.getWidth() * k));
        int h = Math.max(1, (int) Math.round(rgb.getHeight() * k));
        Letterbox lb = new Letterbox(0, 0, rgb.getWidth(), rgb.getHeight(), Math.max(w, h));
        return lb.render(rgb).getSubimage(lb.padX(), lb.padY(), lb.drawnWidth(), lb.drawnHeight());
    }

    static List<DetectionEvaluation.Truth> truths(List<FaceEvalSet.Truth> faces) {
        return faces.stream().map(t -> new DetectionEvaluation.Truth(Region.box(t.x(), t.y(), t.width(), t.height()), t.difficult()))
                .toList();
    }

    static List<DetectionEvaluation.Detection> detections(List<FaceDetection> faces) {
        return faces.stream().map(f -> new DetectionEvaluation.Detection(Region.box(f.x(), f.y(), f.width(), f.height()), f.score()))
                .toList();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = FacesSmallInputStudyTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static BufferedImage image(String name) throws IOException {
        try (InputStream in = FacesSmallInputStudyTest.class.getResourceAsStream(name)) {
            return in == null ? null : ImageIO.read(in);
        }
    }
}
