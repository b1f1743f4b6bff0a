package io.imageworker.training.objects;

import io.imageworker.tasks.objects.FoundObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Photos of {@link PhotoLabelSet} with their COCO objects boxed by hand ({@value #RESOURCE}: its
 * header gives the convention), and box AP at IoU 0.5 of what a detector finds in them, per class
 * and its mean, VOC's way: each detection, best first, matches the unmatched truth box of its class
 * it overlaps most at IoU 0.5 or more; a match with a {@code difficult} box counts neither way; a
 * class marked acceptable on the photo in {@link PhotoLabelSet} counts neither way there.
 */
final class PhotoBoxSet {

    static final String RESOURCE = "/datasets/photo-boxes.tsv";
    /** IoU at which a detection matches a truth box (PASCAL VOC's, COCO's AP50). */
    static final double IOU = 0.5;
    /** Photos looked at while the task was built (see the file's header); the others are held out. */
    static final Set<String> DEV = Set.of("faces/images/skimage-astronaut.png", "faces/images/skimage-chelsea.png",
            "faces/images/skimage-horse.png");

    /**
     * One hand-drawn box, pixels of the photo as a viewer shows it.
     *
     * @param difficult VOC's flag: matching it counts neither way, missing it is no miss
     */
    record Box(String name, double x, double y, double width, double height, boolean difficult) {

        double iou(FoundObject o) {
            double w = Math.min(x + width, o.x() + o.width()) - Math.max(x, o.x());
            double h = Math.min(y + height, o.y() + o.height()) - Math.max(y, o.y());
            double inter = w <= 0 || h <= 0 ? 0 : w * h;
            double union = width * height + o.width() * o.height() - inter;
            return union <= 0 ? 0 : inter / union;
        }
    }

    private PhotoBoxSet() {}

    /**
     * The boxed photos by path under {@code /datasets/}, in file order, each with its boxes (empty:
     * boxed, no COCO object).
     *
     * @throws IOException when the application does not carry {@value #RESOURCE} or a line is not
     *     {@code path TAB class TAB x TAB y TAB width TAB height TAB flag}
     */
    static Map<String, List<Box>> read() throws IOException {
        try (InputStream in = PhotoBoxSet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the application does not carry " + RESOURCE);
            }
            Map<String, List<Box>> photos = new LinkedHashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 7) {
                    throw new IOException(RESOURCE + ": not path TAB class TAB x TAB y TAB width TAB height TAB flag: " + line);
                }
                List<Box> boxes = photos.computeIfAbsent(f[0], p -> new ArrayList<>());
                if (!f[1].equals("-")) {
                    try {
                        boxes.add(new Box(f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                                Double.parseDouble(f[5]), f[6].equals("difficult")));
                    } catch (NumberFormatException e) {
                        throw new IOException(RESOURCE + ": a coordinate is not a number: " + line, e);
                    }
                }
            }
            return photos;
        }
    }

    /**
     * Detections against the truth, per class, summed over photos: each class's hits (score, right
     * or not) and its count of truth boxes that are not difficult.
     */
    static final class Tally {

        private final Map<String, List<AveragePrecision.Hit>> hits = new TreeMap<>();
        private final Map<String, Integer> truths = new TreeMap<>();

        /**
         * Adds one photo: its {@code boxes}, the detections {@code found} on it (any order), and the
         * classes that count neither way on it.
         */
        void add(List<Box> boxes, List<FoundObject> found, Collection<String> acceptable) {
            for (Box b : boxes) {
                if (!b.difficult()) {
                    truths.merge(b.name(), 1, Integer::sum);
                }
            }
            List<FoundObject> ranked = new ArrayList<>(found);
            ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
            boolean[] matched = new boolean[boxes.size()];
            for (FoundObject o : ranked) {
                if (acceptable.contains(o.name())) {
                    continue;
                }
                int best = -1;
                double bestIou = IOU;
                for (int i = 0; i < boxes.size(); i++) {
                    double iou = boxes.get(i).name().equals(o.name()) ? boxes.get(i).iou(o) : 0;
                    if (iou >= bestIou) {
                        best = i;
                        bestIou = iou;
                    }
                }
                if (best >= 0 && boxes.get(best).difficult()) {
                    continue;
                }
                boolean right = best >= 0 && !matched[best];
                if (right) {
                    matched[best] = true;
                }
                hits.computeIfAbsent(o.name(), n -> new ArrayList<>()).add(new AveragePrecision.Hit(o.score(), right));
            }
        }

        /** AP at IoU {@value #IOU} of each class with a truth box that is not difficult, by name. */
        Map<String, Double> perClass() {
            Map<String, Double> out = new TreeMap<>();
            for (String name : new TreeSet<>(truths.keySet())) {
                out.put(name, AveragePrecision.of(hits.getOrDefault(name, List.of()), truths.get(name)));
            }
            return out;
        }

        /** The mean of {@link #perClass}: mAP at IoU {@value #IOU}. */
        double meanAp() {
            return AveragePrecision.mean(perClass().values());
        }

        /** Truth boxes that are not difficult, in all. */
        int truths() {
            return truths.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
