package io.imageworker.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import io.imageworker.testing.MnistFolder;
import io.imageworker.testing.MxnetSymbolWriter;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import io.imageworker.training.classify.ClassifierEvaluation;
import io.imageworker.training.classify.ClassifierRecipe;
import io.imageworker.datasets.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model exported as MXNet symbol + params is served without code: declared with format
 * {@code mxnet-symbol} in a repository, it loads with no Block in Java and classifies exactly as
 * the network it was written from.
 */
class SymbolModelTest {

    @TempDir
    Path tmp;

    @Test
    void aSymbolModelServesLikeTheNetworkItWasWrittenFrom() throws Exception {
        ClassifierRecipe softmax = ClassifierRecipe.ladder().get(0);
        Path data = MnistFolder.create(Files.createDirectories(tmp.resolve("data")), 2000);
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        ModelCard trained = softmax.train(new TrainRequest(data, repo, 3, 1, "softmax", "1", 2000, 500), new TrainingLog(false));

        Path symbolDir = repo.resolve("gluon-softmax").resolve("7");
        try (LoadedModel block = ModelLoader.load(repo.resolve("softmax/1"), Device.cpu())) {
            Map<String, Parameter> params = new java.util.LinkedHashMap<>();
            block.model().getBlock().getParameters().forEach(p -> params.put(p.getKey(), p.getValue()));
            Parameter weight = params.values().stream().filter(p -> p.getType() == Parameter.Type.WEIGHT).findFirst().orElseThrow();
            Parameter bias = params.values().stream().filter(p -> p.getType() == Parameter.Type.BIAS).findFirst().orElseThrow();
            MxnetSymbolWriter.writeLinear(symbolDir, "gluon-softmax", weight.getArray(), bias.getArray(), 10);
        }
        ModelLoader.writeCard(symbolDir, ModelCard.builder("gluon-softmax", "7", "classify", ModelCard.FORMAT_MXNET_SYMBOL)
                .weights("gluon-softmax").input(trained.input()).labels(trained.labels()).metrics(List.of())
                .recipe(Map.of("note", "exported by a test")).data(Map.of()).build());

        ModelRepository repository = ModelRepository.open(repo.toString(), tmp.resolve("cache"));
        Mnist test = Mnist.bundledTestSet();
        Mnist held = new Mnist(java.util.Arrays.copyOfRange(test.pixels(), 5000 * Mnist.PIXELS, 6000 * Mnist.PIXELS),
                java.util.Arrays.copyOfRange(test.labels(), 5000, 6000), 1000);
        double viaSymbol;
        double viaBlock;
        try (LoadedModel symbol = ModelLoader.load(repository.resolve("gluon-softmax").dir(), Device.cpu());
                LoadedModel block = ModelLoader.load(repository.resolve("softmax:1").dir(), Device.cpu())) {
            assertThat(symbol.card().format()).isEqualTo("mxnet-symbol");
            viaSymbol = ClassifierEvaluation.accuracy(symbol, held);
            viaBlock = ClassifierEvaluation.accuracy(block, held);
        }
        assertThat(viaBlock).as("the trained softmax regression").isGreaterThan(0.75);
        assertThat(viaSymbol).as("the same weights through the symbol graph").isEqualTo(viaBlock);
    }
}
