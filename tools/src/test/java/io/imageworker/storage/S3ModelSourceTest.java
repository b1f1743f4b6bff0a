package io.imageworker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.testing.LocalStack;
import io.imageworker.training.classify.ClassifierEvaluation;
import io.imageworker.datasets.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model repository under an s3:// prefix of the real S3 server, searched before the built-in models. */
class S3ModelSourceTest {

    @TempDir
    Path tmp;

    @Test
    void modelsUnderAnS3PrefixAreDownloadedOnceAndServed() throws Exception {
        ObjectStore store = LocalStack.shared().objectStore();
        ModelRepository builtIn = ModelRepository.open(ModelRepository.CLASSPATH, tmp.resolve("builtin"));
        Path local = builtIn.resolve("mnist-cnn-bn").dir();
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                store.write(new S3Location("results", "model-repo/mnist-cnn-bn/5/" + f.getFileName()), Files.readAllBytes(f),
                        "application/octet-stream");
            }
        }

        Path cache = tmp.resolve("cache");
        ModelRepository repo = ModelRepository.open("s3://results/model-repo/, classpath", cache,
                uri -> new S3ModelSource(store, uri, cache));
        ModelRepository.Resolved resolved = repo.resolve("mnist-cnn-bn");

        assertThat(repo.versions("mnist-cnn-bn")).containsExactly("5");
        assertThat(resolved.dir()).startsWith(cache);
        assertThat(resolved.dir().resolve(".downloaded")).exists();
        assertThat(repo.resolve("mnist-cnn-bn:5").dir()).isEqualTo(resolved.dir());
        Mnist digits = Mnist.bundledTestSet().head(500);
        try (LoadedModel fromS3 = ModelLoader.load(resolved.dir(), Device.cpu());
                LoadedModel fromJar = ModelLoader.load(local, Device.cpu())) {
            assertThat(ClassifierEvaluation.accuracy(fromS3, digits)).isEqualTo(ClassifierEvaluation.accuracy(fromJar, digits));
        }
    }
}
