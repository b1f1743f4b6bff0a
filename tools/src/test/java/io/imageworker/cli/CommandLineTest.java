package io.imageworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The packaged application's commands, as a user runs them. */
@QuarkusMainTest
class CommandLineTest {

    @Test
    @Launch({"--help"})
    void topLevelHelpListsEveryCommand(LaunchResult r) {
        assertThat(r.exitCode()).isZero();
        assertThat(r.getOutput()).contains("serve", "submit", "train", "import", "evaluate", "bench");
    }

    @Test
    @Launch({"submit", "--help"})
    void submitHelp(LaunchResult r) {
        assertThat(r.getOutput()).contains("--task", "--labels-from-dir", "--option", "Exit status");
        // the task list comes from the registry: the two tasks the hand-kept list had missed are in it
        assertThat(r.getOutput()).contains("classify, ", "safe-search", "annotate", "properties");
    }

    @Test
    @Launch({"train", "--help"})
    void trainHelpNamesTheRecipes(LaunchResult r) {
        assertThat(r.getOutput()).contains("--recipe", "--data", "--out", "--epochs", "--seed", "cnn-bn", "softmax");
    }

    @Test
    @Launch(value = {"train", "--recipe", "no-such-recipe", "--data", "/nonexistent", "--out", "/tmp/x"}, exitCode = 1)
    void anUnknownRecipeIsNamed(LaunchResult r) {
        assertThat(r.getErrorOutput() + r.getOutput()).contains("unknown recipe 'no-such-recipe'");
    }

    @Test
    @Launch({"evaluate", "--model", "mnist-cnn-bn", "--limit", "1000", "--json"})
    void evaluateRecomputesTheClassifiersAccuracy(LaunchResult r) throws Exception {
        String out = r.getOutput();
        JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf("[ {"))); // MXNet prints a line of its own first
        JsonNode accuracy = report.get(0).path("metrics").get(0);
        assertThat(accuracy.path("name").asText()).isEqualTo("accuracy");
        assertThat(accuracy.path("measured").asDouble()).isGreaterThan(0.98);
        assertThat(accuracy.path("recorded").asDouble()).isGreaterThanOrEqualTo(0.995);
    }

    @Test
    @Launch({"import", "--tfjs", "../worker/src/test/resources/tfjs/graph", "--task", "classify", "--out", "target/cli-import",
        "--name", "fixture-graph", "--labels", "a,b,c"})
    void importWritesARepositoryModel(LaunchResult r) throws Exception {
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        assertThat(r.getOutput()).contains("wrote target/cli-import/fixture-graph/1", "3 outputs");
        java.nio.file.Path dir = java.nio.file.Path.of("target/cli-import/fixture-graph/1");
        assertThat(dir.resolve("graph.json")).isRegularFile();
        assertThat(dir.resolve("fixture-graph-0000.params")).isRegularFile();
        JsonNode card = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        assertThat(card.path("architecture").asText()).isEqualTo("layer-graph");
        assertThat(card.path("labels").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(card.path("provenance").path("importedFiles").has("group1-shard1of1")).isTrue();
    }

    @Test
    @Launch({"import", "--tfjs", "src/test/resources/tfjs/nanodet", "--task", "objects", "--out", "target/cli-import",
        "--name", "nanodet"})
    void importReadsAGraphModel(LaunchResult r) throws Exception {
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        assertThat(r.getOutput()).contains("wrote target/cli-import/nanodet/1", "6 outputs");
        java.nio.file.Path dir = java.nio.file.Path.of("target/cli-import/nanodet/1");
        assertThat(dir.resolve("nanodet-0000.params")).isRegularFile();
        JsonNode card = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        assertThat(card.path("architecture").asText()).isEqualTo("tf-graph");
        assertThat(card.path("provenance").path("format").asText()).isEqualTo("tfjs-graph-model");
        assertThat(card.path("provenance").path("importedFiles").has("nanodet.bin")).isTrue();
    }

    @Test
    @Launch(value = {"import", "--tfjs", "/nonexistent-tfjs", "--task", "safe-search", "--out", "target/cli-import"},
            exitCode = 1)
    void importNamesWhatIsMissing(LaunchResult r) {
        assertThat(r.getErrorOutput() + r.getOutput()).contains("has no model.json");
    }

    @Test
    @Launch({"evaluate", "--model", "nsfwjs-mobilenet-v2", "--limit", "4", "--json"})
    void evaluateReportsTheImportedModelsParity(LaunchResult r) throws Exception {
        String out = r.getOutput();
        JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf("[ {")));
        JsonNode parity = report.get(0).path("metrics").get(0);
        assertThat(parity.path("name").asText()).isEqualTo("parity-max-abs-diff");
        assertThat(parity.path("measured").asDouble()).isLessThan(1e-3);
        assertThat(parity.path("data").asText()).contains("nsfwjs 4.4.0", "@tensorflow/tfjs 4.22.0");
    }
}
