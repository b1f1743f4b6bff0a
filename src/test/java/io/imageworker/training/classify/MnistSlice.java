package io.imageworker.training.classify;

import io.imageworker.training.data.Mnist;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small MNIST folder (idx files, gzip) from the test set the application carries, so that
 * recipe smoke tests need no data outside the repository. Both splits hold the same digits: fine
 * for checking that training runs, never for measuring a model.
 */
final class MnistSlice {

    private MnistSlice() {}

    static void write(Path dir, int count) throws IOException {
        Mnist m = Mnist.bundledTestSet().head(count);
        for (String split : new String[] {"train", "t10k"}) {
            try (DataOutputStream img = out(dir.resolve(split + "-images-idx3-ubyte.gz"));
                    DataOutputStream lbl = out(dir.resolve(split + "-labels-idx1-ubyte.gz"))) {
                img.writeInt(2051);
                img.writeInt(m.count());
                img.writeInt(Mnist.SIDE);
                img.writeInt(Mnist.SIDE);
                img.write(m.pixels());
                lbl.writeInt(2049);
                lbl.writeInt(m.count());
                lbl.write(m.labels());
            }
        }
    }

    private static DataOutputStream out(Path p) throws IOException {
        OutputStream o = new GZIPOutputStream(Files.newOutputStream(p));
        return new DataOutputStream(o);
    }
}
