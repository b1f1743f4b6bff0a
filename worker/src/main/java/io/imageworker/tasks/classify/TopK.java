package io.imageworker.tasks.classify;

import java.util.ArrayList;
import java.util.List;

/** The {@code k} most probable classes, best first. */
public final class TopK {

    /** A class index with its probability. */
    public record Entry(int index, float score) {}

    private TopK() {}

    /**
     * The {@code k} highest-scoring classes, best first, ties by lower index; all of them when
     * there are fewer than {@code k}. Returns an immutable list.
     *
     * @param probabilities one score per class, indexed by class
     * @throws IllegalArgumentException when {@code k} is negative
     */
    public static List<Entry> of(float[] probabilities, int k) {
        List<Entry> all = new ArrayList<>(probabilities.length);
        for (int i = 0; i < probabilities.length; i++) {
            all.add(new Entry(i, probabilities[i]));
        }
        all.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.index, b.index));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
