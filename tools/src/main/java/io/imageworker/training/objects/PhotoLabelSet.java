package io.imageworker.training.objects;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Photos the application carries, hand-labelled with the COCO-80 classes they show
 * ({@value #RESOURCE}: its header says how and by whom; the photos' sources and licences are the
 * datasets' own), and how a photo's found labels score against them.
 */
final class PhotoLabelSet {

    static final String RESOURCE = "/datasets/photo-labels.tsv";

    /**
     * One photo.
     *
     * @param path the resource path under {@code /datasets/}
     * @param present the COCO names clearly in it (empty: a photo without a COCO object)
     * @param acceptable names there but small, hidden or arguable: found, they count neither way
     */
    record Photo(String path, Set<String> present, Set<String> acceptable) {}

    /**
     * Labels found against the truth, summed over photos.
     *
     * @param right found and present
     * @param wrong found, neither present nor acceptable
     * @param truth present, in all
     * @param emptyPhotos photos without a COCO object
     * @param wrongOnEmpty wrong labels on those
     */
    record Score(int right, int wrong, int truth, int emptyPhotos, int wrongOnEmpty) {

        static final Score NONE = new Score(0, 0, 0, 0, 0);

        /** This score plus one photo's {@code found} labels. */
        Score plus(Photo photo, Collection<String> found) {
            int r = 0;
            int w = 0;
            for (String name : new TreeSet<>(found)) {
                if (photo.present().contains(name)) {
                    r++;
                } else if (!photo.acceptable().contains(name)) {
                    w++;
                }
            }
            boolean empty = photo.present().isEmpty();
            return new Score(right + r, wrong + w, truth + photo.present().size(), emptyPhotos + (empty ? 1 : 0),
                    wrongOnEmpty + (empty ? w : 0));
        }

        /** Right over found (1 when nothing was found). */
        double precision() {
            return right + wrong == 0 ? 1 : right / (double) (right + wrong);
        }

        /** Right over present (1 when nothing is present). */
        double recall() {
            return truth == 0 ? 1 : right / (double) truth;
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        /** Wrong labels per photo without a COCO object (0 when there is none). */
        double wrongPerEmptyPhoto() {
            return emptyPhotos == 0 ? 0 : wrongOnEmpty / (double) emptyPhotos;
        }
    }

    /**
     * Label scores against the truth, per class, for label mAP: on each photo every class found has a
     * score (its best instance's), and a class's photos, ranked by it, are a retrieval whose
     * positives are the photos showing the class; a photo where the class is marked acceptable is
     * left out of that class's ranking.
     */
    static final class Ranking {

        private final Map<String, List<AveragePrecision.Hit>> hits = new TreeMap<>();
        private final Map<String, Integer> positives = new TreeMap<>();

        /** Adds one photo and the best score of each class found on it (any floor the caller chose). */
        void add(Photo photo, Map<String, Double> scores) {
            photo.present().forEach(name -> positives.merge(name, 1, Integer::sum));
            scores.forEach((name, score) -> {
                if (!photo.acceptable().contains(name)) {
                    hits.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(new AveragePrecision.Hit(score, photo.present().contains(name)));
                }
            });
        }

        /** Average precision of each class shown by at least one photo, by name. */
        Map<String, Double> perClass() {
            Map<String, Double> out = new TreeMap<>();
            positives.forEach((name, n) -> out.put(name, AveragePrecision.of(hits.getOrDefault(name, List.of()), n)));
            return out;
        }

        /** Label mAP: the mean of {@link #perClass}. */
        double meanAp() {
            return AveragePrecision.mean(perClass().values());
        }
    }

    private PhotoLabelSet() {}

    /**
     * The labelled photos, in file order.
     *
     * @throws IOException when the application does not carry {@value #RESOURCE} or a line is not
     *     {@code path TAB present TAB acceptable}
     */
    static List<Photo> read() throws IOException {
        try (InputStream in = PhotoLabelSet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the application does not carry " + RESOURCE);
            }
            List<Photo> photos = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new IOException(RESOURCE + ": not path TAB present TAB acceptable: " + line);
                }
                photos.add(new Photo(f[0], names(f[1]), names(f[2])));
            }
            return photos;
        }
    }

    private static Set<String> names(String field) {
        return field.equals("-") ? Set.of() : Set.copyOf(Arrays.asList(field.split(",")));
    }
}
