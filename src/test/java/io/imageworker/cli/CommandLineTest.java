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
        assertThat(r.getOutput()).contains("serve", "submit", "train", "evaluate", "bench");
    }

    @Test
    @Launch({"submit", "--help"})
    void submitHelp(LaunchResult r) {
        assertThat(r.getOutput()).contains("--task", "--labels-from-dir", "--option", "Exit status");
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
}
