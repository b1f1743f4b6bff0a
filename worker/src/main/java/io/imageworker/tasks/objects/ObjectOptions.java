package io.imageworker.tasks.objects;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The job options of {@code objects}, read and checked: {@code minScore} (a number in [0, 1];
 * default the card's {@code options.minScore}, else {@value #DEFAULT_MIN_SCORE}), {@code maxResults}
 * (an integer from 1 to {@value #MAX_MAX_RESULTS}, default {@value #DEFAULT_MAX_RESULTS}) and
 * {@code classes} (COCO-80 names, {@link CocoLabels#NAMES}: only objects of these are kept; absent
 * or empty: all); {@code overlay} (a boolean, default true: false writes no overlay PNG).
 */
final class ObjectOptions {

    static final String MIN_SCORE = "minScore";
    static final String MAX_RESULTS = "maxResults";
    static final String CLASSES = "classes";
    static final String OVERLAY = "overlay";
    /** NanoDet's demo score threshold ({@code demo.py}, {@code score_thres=0.35}). */
    static final double DEFAULT_MIN_SCORE = 0.35;
    /** NanoDet's {@code keep_top_k} upstream. */
    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_MAX_RESULTS = 1000;

    private ObjectOptions() {}

    /**
     * The decoder's options of a job's {@code options}.
     *
     * @param cardMinScore the served model's {@code options.minScore}, the default of {@code minScore}
     * @throws IllegalArgumentException naming the option and why: a {@code minScore} outside [0, 1]
     *     or not a number, a {@code maxResults} not an integer in range, {@code classes} not an array
     *     of strings, or a name that is not one of COCO-80
     */
    static NanodetDecoder.Options read(JsonNode o, double cardMinScore) {
        double minScore = cardMinScore;
        if (o.has(MIN_SCORE)) {
            JsonNode s = o.get(MIN_SCORE);
            if (!s.isNumber() || !(s.asDouble() >= 0 && s.asDouble() <= 1)) {
                throw new IllegalArgumentException("options.minScore must be a number in [0, 1], not " + s);
            }
            minScore = s.asDouble();
        }
        int maxResults = DEFAULT_MAX_RESULTS;
        if (o.has(MAX_RESULTS)) {
            JsonNode m = o.get(MAX_RESULTS);
            if (!m.isIntegralNumber() || !m.canConvertToInt() || m.asInt() < 1 || m.asInt() > MAX_MAX_RESULTS) {
                throw new IllegalArgumentException("options.maxResults must be an integer from 1 to " + MAX_MAX_RESULTS
                        + ", not " + m);
            }
            maxResults = m.asInt();
        }
        Set<Integer> classes = new LinkedHashSet<>();
        if (o.has(CLASSES)) {
            JsonNode c = o.get(CLASSES);
            if (!c.isArray()) {
                throw new IllegalArgumentException("options.classes must be an array of COCO-80 class names, not " + c);
            }
            for (JsonNode n : c) {
                int k = n.isTextual() ? CocoLabels.NAMES.indexOf(n.asText()) : -1;
                if (k < 0) {
                    throw new IllegalArgumentException("options.classes names " + n + ", which is not a COCO-80 class "
                            + "(the names are COCO 2017's, lower case: person, bicycle, car, ... toothbrush)");
                }
                classes.add(k);
            }
        }
        return new NanodetDecoder.Options(minScore, maxResults, classes);
    }

    /**
     * Whether a job's {@code options} want the overlay PNG ({@code overlay}, default true).
     *
     * @throws IllegalArgumentException when {@code overlay} is there and not a boolean
     */
    static boolean overlay(JsonNode o) {
        JsonNode v = o.path(OVERLAY);
        if (!v.isMissingNode() && !v.isBoolean()) {
            throw new IllegalArgumentException("options.overlay must be true or false, not " + v);
        }
        return v.asBoolean(true);
    }
}
