package io.imageworker.testing;

import io.imageworker.datasets.Mnist;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A data folder in MNIST's idx format made from the test set the application carries, so that
 * recipe smoke tests run without the 60k training set: both "train" and "t10k" files hold the first
 * {@code n} test digits.
 */
public final class MnistFolder {

    private MnistFolder() {}

    public static Path create(Path dir, int n) throws IOException {
        Mnist m = Mnist.bundledTestSet().head(n);
        for (String prefix : new String[] {"train", "t10k"}) {
            try (DataOutputStream out = gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
                out.writeInt(2051);
                out.writeInt(m.count());
                out.writeInt(Mnist.SIDE);
                out.writeInt(Mnist.SIDE);
                out.write(m.pixels());
            }
            try (DataOutputStream out = gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
                out.writeInt(2049);
                out.writeInt(m.count());
                out.write(m.labels());
            }
        }
        return dir;
    }

    private static DataOutputStream gz(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new GZIPOutputStream(raw));
    }
}
