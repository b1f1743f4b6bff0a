package io.imageworker.inference.ood;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells inputs a digit model knows from inputs it does not (out-of-distribution, OOD), from the
 * input's statistics ({@link InputStats}: bounds each digit of the training set keeps) and the
 * squared Mahalanobis distance of the classifier's penultimate features to the nearest class (Lee et al.,
 * NeurIPS 2018), and optionally a linear probe on the same features ({@link FeatureProbe}: the odds
 * that the input is not a digit). Every component has a cut fitted on digits (MNIST's training
 * digits, and real-world ones where the card says so); the score is the largest component divided
 * by its cut, so the threshold is 1: above it the model abstains.
 *
 * <p>The parameters live with the model: the cuts in {@code model.json} under
 * {@code options.outOfDistribution}, the class means and the precision matrix in the file it names.
 *
 * @param method name reported with each abstention
 * @param maxima upper cut per statistic name ({@link InputStats#NAMES})
 * @param minima lower cut per statistic name
 * @param mahalanobisMax cut of the squared Mahalanobis distance, or NaN when not used
 * @param mahalanobis the distance to the penultimate features' class means, or null when not used
 * @param probeMax cut of the probe's odds ({@code exp} of its log-odds), or NaN when not used
 * @param probe the linear probe, or null when not used
 */
public record OodDetector(String method, Map<String, Double> maxima, Map<String, Double> minima,
        double mahalanobisMax, MahalanobisDistance mahalanobis, double probeMax, FeatureProbe probe) {

    /** A detector without a probe. */
    public OodDetector(String method, Map<String, Double> maxima, Map<String, Double> minima, double mahalanobisMax,
            MahalanobisDistance mahalanobis) {
        this(method, maxima, minima, mahalanobisMax, mahalanobis, Double.NaN, null);
    }

    /** Key of the detector in a model card's {@code options}. */
    public static final String OPTION = "outOfDistribution";
    /** The score above which the model abstains (every component is divided by its own cut). */
    public static final double THRESHOLD = 1.0;
    /** Keeps a ratio finite when a statistic is 0 or a cut is 0. */
    private static final double EPS = 1e-6;
    /** Largest score reported (a blank image's ink is 0, its ratio unbounded). */
    private static final double CAP = 1000;

    /**
     * The verdict on one input.
     *
     * @param score largest component over its cut; abstain when above {@link #THRESHOLD}
     * @param components each component's ratio, by name
     * @param outOfDistribution whether the score is above the threshold
     */
    public record Verdict(double score, Map<String, Double> components, boolean outOfDistribution) {

        /** Components above the threshold, the reasons to abstain. */
        public List<String> reasons() {
            List<String> out = new ArrayList<>();
            components.forEach((k, v) -> {
                if (v > THRESHOLD) {
                    out.add(k);
                }
            });
            return out;
        }
    }

    /** Whether this detector needs the penultimate features. */
    public boolean needsFeatures() {
        return mahalanobis != null || probe != null;
    }

    /**
     * Judges one input.
     *
     * @param stats the input's statistics
     * @param features penultimate features (may be null when {@link #needsFeatures()} is false)
     */
    public Verdict judge(InputStats stats, float[] features) {
        Map<String, Double> parts = new LinkedHashMap<>();
        double[] v = stats.values();
        for (int k = 0; k < InputStats.NAMES.length; k++) {
            String name = InputStats.NAMES[k];
            Double max = maxima.get(name);
            if (max != null) {
                parts.put(name, Math.min(CAP, v[k] / Math.max(max, EPS)));
            }
            Double min = minima.get(name);
            if (min != null) {
                double ratio = Math.min(CAP, min / Math.max(v[k], EPS));
                parts.merge(name, ratio, Math::max);
            }
        }
        if (mahalanobis != null) {
            if (features == null) {
                throw new IllegalArgumentException("this detector needs the penultimate features");
            }
            parts.put("mahalanobis", Math.min(CAP, mahalanobis.nearest(features) / mahalanobisMax));
        }
        if (probe != null) {
            if (features == null) {
                throw new IllegalArgumentException("this detector needs the penultimate features");
            }
            // odds over their cut: exp(logit - log cut), kept finite
            parts.put("probe", Math.min(CAP, Math.exp(Math.min(50, probe.logit(features) - Math.log(probeMax)))));
        }
        double score = parts.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return new Verdict(score, parts, score > THRESHOLD);
    }

    /**
     * The detector a model card describes, or null when it has none.
     *
     * @param options the card's {@code options}
     * @param dir the model's version folder (for the parameters file)
     * @throws IOException when the parameters file is missing or malformed
     */
    @SuppressWarnings("unchecked")
    public static OodDetector fromCard(Map<String, Object> options, Path dir) throws IOException {
        Object o = options == null ? null : options.get(OPTION);
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, Object> spec = (Map<String, Object>) m;
        Map<String, Double> maxima = new LinkedHashMap<>();
        Map<String, Double> minima = new LinkedHashMap<>();
        Object stats = spec.get("inputStatistics");
        if (stats instanceof Map<?, ?> s) {
            s.forEach((k, bounds) -> {
                if (bounds instanceof Map<?, ?> b) {
                    if (b.get("max") instanceof Number n) {
                        maxima.put((String) k, n.doubleValue());
                    }
                    if (b.get("min") instanceof Number n) {
                        minima.put((String) k, n.doubleValue());
                    }
                }
            });
        }
        MahalanobisDistance distance = null;
        double cut = Double.NaN;
        if (spec.get("mahalanobis") instanceof Map<?, ?> mh) {
            if (!(mh.get("max") instanceof Number max) || !(mh.get("parameters") instanceof String file)) {
                throw new IOException("options.outOfDistribution.mahalanobis needs a numeric 'max' and a 'parameters' file");
            }
            Path params = dir.resolve(file).normalize();
            if (!params.startsWith(dir.normalize())) {
                throw new IOException("OOD parameters file " + file + " lies outside the model folder " + dir);
            }
            cut = max.doubleValue();
            double[][][] p = readParameters(params);
            try {
                distance = new MahalanobisDistance(p[0], p[1]);
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed OOD parameters in " + params + ": " + e.getMessage(), e);
            }
        }
        FeatureProbe probe = null;
        double probeCut = Double.NaN;
        if (spec.get("probe") instanceof Map<?, ?> pr) {
            if (!(pr.get("max") instanceof Number max) || !(pr.get("parameters") instanceof String file) || max.doubleValue() <= 0) {
                throw new IOException("options.outOfDistribution.probe needs a positive numeric 'max' and a 'parameters' file");
            }
            Path params = dir.resolve(file).normalize();
            if (!params.startsWith(dir.normalize())) {
                throw new IOException("OOD probe file " + file + " lies outside the model folder " + dir);
            }
            probeCut = max.doubleValue();
            if (!java.nio.file.Files.isRegularFile(params)) {
                // a version published without the file its card names: say which, not just a path
                throw new IOException("the card's options.outOfDistribution.probe names " + file
                        + ", which the model's folder lacks: publish it beside the weights, before model.json");
            }
            probe = FeatureProbe.read(params);
            if (distance != null && probe.dim() != distance.dim()) {
                throw new IOException("OOD probe in " + params + " reads " + probe.dim() + " features, the distance " + distance.dim());
            }
        }
        return new OodDetector(String.valueOf(spec.getOrDefault("method", "ood")), maxima, minima, cut, distance,
                probeCut, probe);
    }

    /** Writes class means and precision: int classes, int dim, then float32 values, means first. */
    public static void writeParameters(Path file, double[][] means, double[][] precision) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(means.length);
            out.writeInt(precision.length);
            for (double[] row : means) {
                for (double x : row) {
                    out.writeFloat((float) x);
                }
            }
            for (double[] row : precision) {
                for (double x : row) {
                    out.writeFloat((float) x);
                }
            }
        }
    }

    /** Reads what {@link #writeParameters} wrote: {means, precision}. */
    public static double[][][] readParameters(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int classes = in.readInt();
            int dim = in.readInt();
            if (classes <= 0 || classes > 10_000 || dim <= 0 || dim > 10_000) {
                throw new IOException("malformed OOD parameters in " + file);
            }
            double[][] means = new double[classes][dim];
            double[][] precision = new double[dim][dim];
            for (double[] row : means) {
                for (int j = 0; j < dim; j++) {
                    row[j] = in.readFloat();
                }
            }
            for (double[] row : precision) {
                for (int j = 0; j < dim; j++) {
                    row[j] = in.readFloat();
                }
            }
            return new double[][][] {means, precision};
        }
    }
}
