package io.imageworker.training.ood;

import io.imageworker.inference.ood.InputStats;
import io.imageworker.training.TrainingLog;
import io.imageworker.datasets.Mnist;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The candidate rules {@link OodRecipe} compares before it settles on one: each a set of scores
 * (max softmax, energy, Mahalanobis distance, input statistics), each score cut at a quantile of
 * the training digits, a picture abstained on when any of its scores passes its cut. A score name
 * ending in '-' is cut from below (the picture is refused when the score is under the cut).
 */
final class OodCandidates {

    /** The input statistics the rules read ({@code ink-}: too little ink is refused). */
    static final List<String> STATS = List.of("border", "midtones", "offCentre", "ink-");
    /** The rule the recipe keeps, by its name in {@link #rules()}. */
    static final String CHOSEN = "input-statistics+mahalanobis";

    private final Map<String, Function<OodStudy.Scored, double[]>> scores = new LinkedHashMap<>();
    private final Map<String, List<String>> rules = new LinkedHashMap<>();

    /** The candidates, with the Mahalanobis score read through {@code m} (as stored, in float32). */
    OodCandidates(Mahalanobis m) {
        // each score of each set computed once (the Mahalanobis one of 60,000 digits takes a while): the candidates share them
        Map<OodStudy.Scored, Map<String, double[]>> memo = new IdentityHashMap<>();
        scores.put("msp", OodStudy::msp);
        scores.put("energy", OodStudy::energy);
        scores.put("mahalanobis", s -> OodStudy.mahalanobis(s, m));
        for (int k = 0; k < InputStats.NAMES.length; k++) {
            int kk = k;
            scores.put(InputStats.NAMES[k], s -> OodStudy.stat(s, kk));
        }
        scores.replaceAll((name, f) -> s -> memo.computeIfAbsent(s, k -> new HashMap<>())
                .computeIfAbsent(name, k -> f.apply(s)));
        rules.put("max-softmax", List.of("msp"));
        rules.put("energy", List.of("energy"));
        rules.put("mahalanobis", List.of("mahalanobis"));
        rules.put("input-statistics", STATS);
        rules.put("input-statistics+max-softmax", concat(STATS, "msp"));
        rules.put("input-statistics+energy", concat(STATS, "energy"));
        rules.put(CHOSEN, concat(STATS, "mahalanobis"));
    }

    /** Each candidate rule's name and the scores it reads, in the order they are printed. */
    Map<String, List<String>> rules() {
        return rules;
    }

    /**
     * Every rule at every budget (the share of training digits it may refuse, split evenly over its
     * scores), printed to {@code log} as a table and returned as its rows: the share refused of the
     * training digits {@code tr} and the test digits {@code te}, the test accuracy lost, and the
     * share abstained on of the tuning set {@code tu}, the framed letters {@code fx}, the evaluation
     * set {@code ev} and the generated digits {@code gen}.
     */
    List<Map<String, Object>> compare(double[] budgets, OodStudy.Scored tr, OodStudy.Scored te, Mnist test,
            OodStudy.Scored tu, OodStudy.Scored fx, OodStudy.Scored ev, OodStudy.Scored gen, TrainingLog log) {
        int[] pred = OodStudy.predictions(te);
        List<Map<String, Object>> table = new ArrayList<>();
        log.line(String.format(Locale.ROOT, "%-30s %9s %9s %9s %9s %9s %9s %9s", "candidate", "trainRej", "testAbst",
                "accLoss", "tuning", "framed", "eval", "generated"));
        for (double budget : budgets) for (var c : rules.entrySet()) {
            Map<String, double[]> cuts = cuts(c.getValue(), tr, budget / c.getValue().size());
            double[] rates = new double[7];
            rates[0] = rate(abstains(c.getValue(), cuts, tr));
            boolean[] testAway = abstains(c.getValue(), cuts, te);
            rates[1] = rate(testAway);
            int lost = 0;
            for (int i = 0; i < pred.length; i++) {
                lost += testAway[i] && pred[i] == test.label(i) ? 1 : 0;
            }
            rates[2] = lost / (double) pred.length;
            rates[3] = rate(abstains(c.getValue(), cuts, tu));
            rates[4] = rate(abstains(c.getValue(), cuts, fx));
            rates[5] = rate(abstains(c.getValue(), cuts, ev));
            rates[6] = rate(abstains(c.getValue(), cuts, gen));
            log.line(String.format(Locale.ROOT, "%-30s %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f", c.getKey() + " @" + budget, rates[0],
                    rates[1], rates[2], rates[3], rates[4], rates[5], rates[6]));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", c.getKey());
            row.put("trainingBudget", budget);
            row.put("mnistTrainRejection", round(rates[0]));
            row.put("mnistTestAbstention", round(rates[1]));
            row.put("mnistTestAccuracyLoss", round(rates[2]));
            row.put("tuningAbstention", round(rates[3]));
            row.put("framedLettersAbstention", round(rates[4]));
            row.put("evaluationAbstention", round(rates[5]));
            row.put("generatedDigitsAbstention", round(rates[6]));
            table.add(row);
        }
        return table;
    }

    /** Each component's cut: the training quantile leaving {@code q} above it (below it for a name ending in '-'). */
    Map<String, double[]> cuts(List<String> components, OodStudy.Scored train, double q) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String c : components) {
            boolean low = c.endsWith("-");
            double[] v = scores.get(low ? c.substring(0, c.length() - 1) : c).apply(train);
            out.put(c, new double[] {OodStudy.quantile(v, low ? q : 1 - q)});
        }
        return out;
    }

    /** Whether each picture of {@code set} passes any component's cut. */
    private boolean[] abstains(List<String> components, Map<String, double[]> cuts, OodStudy.Scored set) {
        boolean[] out = new boolean[set.size()];
        for (String c : components) {
            boolean low = c.endsWith("-");
            double[] v = scores.get(low ? c.substring(0, c.length() - 1) : c).apply(set);
            double cut = cuts.get(c)[0];
            for (int i = 0; i < out.length; i++) {
                out[i] |= low ? v[i] < cut : v[i] > cut;
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private static double rate(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return b.length == 0 ? 0 : n / (double) b.length;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
