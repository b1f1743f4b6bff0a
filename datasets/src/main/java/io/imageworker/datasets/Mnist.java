package io.imageworker.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST digits in their original idx format, read from a folder that holds the four files
 * gzip-compressed or not ({@code train-images-idx3-ubyte[.gz]} ...), or from the copy of the test
 * set that ships with the application.
 *
 * <p>Pixels stay as unsigned bytes (0 = background, 255 = ink): 47 MB for the training set as
 * bytes instead of 188 MB as floats; callers scale per batch.
 */
public record Mnist(byte[] pixels, byte[] labels, int count) {

    /** Side of an MNIST digit, in pixels. */
    public static final int SIDE = 28;
    /** Pixels per digit, 28 x 28 = 784. */
    public static final int PIXELS = SIDE * SIDE;
    /** Classpath folder of the 10k test set carried by the application. */
    public static final String BUNDLED_TEST_SET = "/datasets/mnist/";

    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;

    /**
     * The two MNIST splits: 60,000 training digits ({@code train-*}) and 10,000 test digits
     * ({@code t10k-*}).
     */
    public enum Split {
        /**
         * The 60,000 training digits, {@code train-images-idx3-ubyte} and
         * {@code train-labels-idx1-ubyte}.
         */
        TRAIN("train"),
        /**
         * The 10,000 test digits, {@code t10k-images-idx3-ubyte} and
         * {@code t10k-labels-idx1-ubyte}.
         */
        TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Reads one split from {@code dir}; each file may be gzip-compressed ({@code .gz}) or not. */
    public static Mnist read(Path dir, Split split) throws IOException {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
        try (InputStream img = open(images); InputStream lbl = open(labels)) {
            return read(img, lbl, images + " / " + labels);
        }
    }

    /** The 10,000 test digits shipped inside the application (no data folder needed). */
    public static synchronized Mnist bundledTestSet() throws IOException {
        // Read once per process: evaluations ask for it per model and per metric, and nobody changes it.
        if (bundledTest == null) {
            try (InputStream img = resource("t10k-images-idx3-ubyte.gz");
                    InputStream lbl = resource("t10k-labels-idx1-ubyte.gz")) {
                bundledTest = read(new GZIPInputStream(img), new GZIPInputStream(lbl), "bundled MNIST test set");
            }
        }
        return bundledTest;
    }

    private static Mnist bundledTest;

    /** Path of a split's image and label files in {@code dir}, for checksums in model cards. */
    public static Path[] files(Path dir, Split split) throws IOException {
        return new Path[] {
            find(dir, split.prefix + "-images-idx3-ubyte"), find(dir, split.prefix + "-labels-idx1-ubyte")
        };
    }

    /** Ink of digit {@code i} as floats in [0, 1], row-major 28x28. */
    public float[] image(int i) {
        float[] out = new float[PIXELS];
        copyImage(i, out, 0);
        return out;
    }

    /** Writes digit {@code i} scaled to [0, 1] into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        int base = i * PIXELS;
        for (int p = 0; p < PIXELS; p++) {
            dst[offset + p] = (pixels[base + p] & 0xff) / 255f;
        }
    }

    /** Class of digit {@code i}, 0 to 9. */
    public int label(int i) {
        return labels[i];
    }

    /** The first {@code n} digits (a cheap slice for smoke tests). */
    public Mnist head(int n) {
        int k = Math.min(n, count);
        byte[] p = new byte[k * PIXELS];
        byte[] l = new byte[k];
        System.arraycopy(pixels, 0, p, 0, p.length);
        System.arraycopy(labels, 0, l, 0, k);
        return new Mnist(p, l, k);
    }

    private static Mnist read(InputStream imagesIn, InputStream labelsIn, String what) throws IOException {
        DataInputStream img = new DataInputStream(new BufferedInputStream(imagesIn, 1 << 16));
        DataInputStream lbl = new DataInputStream(new BufferedInputStream(labelsIn, 1 << 16));
        if (img.readInt() != IMAGES_MAGIC || lbl.readInt() != LABELS_MAGIC) {
            throw new IOException("not MNIST idx files: " + what);
        }
        int n = img.readInt();
        int rows = img.readInt();
        int cols = img.readInt();
        int nLabels = lbl.readInt();
        if (rows != SIDE || cols != SIDE || n != nLabels) {
            throw new IOException("unexpected MNIST shape " + n + "x" + rows + "x" + cols + " with " + nLabels
                    + " labels: " + what);
        }
        byte[] pixels = new byte[n * PIXELS];
        byte[] labels = new byte[n];
        img.readFully(pixels);
        lbl.readFully(labels);
        return new Mnist(pixels, labels, n);
    }

    private static Path find(Path dir, String base) throws IOException {
        for (String candidate : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("no " + base + "[.gz] in " + dir.toAbsolutePath());
    }

    private static InputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Mnist.class.getResourceAsStream(BUNDLED_TEST_SET + name);
        if (in == null) {
            throw new IOException("the application does not carry " + BUNDLED_TEST_SET + name);
        }
        return in;
    }
}
