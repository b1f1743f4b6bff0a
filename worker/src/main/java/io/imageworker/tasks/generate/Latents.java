package io.imageworker.tasks.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Latent vectors from seeds, in plain Java, so that the same seed gives the same image on any
 * machine and engine: {@link Random}'s generator and its Gaussian method are fixed by the Java
 * specification. Also the walk between two seeds' vectors.
 */
public final class Latents {

    private Latents() {}

    /** Model card option: the truncation of its latent vectors (0 or absent: none). */
    public static final String TRUNCATION_OPTION = "latentTruncation";

    /** A standard normal vector of {@code size} values drawn from {@code seed}. */
    public static float[] fromSeed(long seed, int size) {
        return fromSeed(seed, size, 0);
    }

    /**
     * A standard normal vector of {@code size} values drawn from {@code seed}, each value beyond
     * {@code truncation} standard deviations drawn again (the truncation trick: samples from the
     * dense middle of the latent space come out more typical, at some cost in variety). A
     * truncation of 0 or less keeps every value.
     */
    public static float[] fromSeed(long seed, int size, double truncation) {
        Random rnd = new Random(seed);
        float[] z = new float[size];
        for (int i = 0; i < size; i++) {
            double v = rnd.nextGaussian();
            while (truncation > 0 && Math.abs(v) > truncation) {
                v = rnd.nextGaussian();
            }
            z[i] = (float) v;
        }
        return z;
    }

    /**
     * The point a fraction {@code t} of the way from {@code a} to {@code b} along the great circle
     * (spherical interpolation): it keeps the norm typical of Gaussian vectors, which a straight line
     * would shrink towards the middle. Falls back to linear interpolation for (anti)parallel vectors.
     */
    public static float[] slerp(float[] a, float[] b, double t) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("latents of different sizes: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        double cos = na == 0 || nb == 0 ? 1 : Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
        double omega = Math.acos(cos);
        double wa;
        double wb;
        if (Math.sin(omega) < 1e-6) {
            wa = 1 - t;
            wb = t;
        } else {
            wa = Math.sin((1 - t) * omega) / Math.sin(omega);
            wb = Math.sin(t * omega) / Math.sin(omega);
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    /** {@code steps} latents from seed {@code from}'s vector to seed {@code to}'s, both ends included. */
    public static List<float[]> walk(long from, long to, int size, int steps, double truncation) {
        if (steps < 2) {
            throw new IllegalArgumentException("a walk needs at least 2 steps, got " + steps);
        }
        float[] a = fromSeed(from, size, truncation);
        float[] b = fromSeed(to, size, truncation);
        List<float[]> out = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            out.add(slerp(a, b, i / (double) (steps - 1)));
        }
        return out;
    }
}
