package io.imageworker.tasks.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** {@code submit --help} offers the test-only {@link EchoTask}: the CLI's task list is the registry's. */
@QuarkusMainTest
class EchoCommandLineTest {

    @Test
    @Launch({"submit", "--help"})
    void submitOffersTheTask(LaunchResult r) {
        assertThat(r.exitCode()).isZero();
        // picocli wraps the description: read it as one line
        assertThat(r.getOutput().replaceAll("\\s+", " ")).containsPattern("--task=<task> One of [a-z, -]*\\becho\\b");
    }
}
