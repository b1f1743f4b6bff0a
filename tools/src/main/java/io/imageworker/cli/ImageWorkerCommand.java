package io.imageworker.cli;

import io.imageworker.ServeCommand;
import io.imageworker.VersionProvider;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The command tree; with no subcommand the process serves. */
@TopCommand
@Command(
        name = "image-worker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Kafka-driven batch image analysis: classify, segment, localize, generate.",
        subcommands = {ServeCommand.class, SubmitCommand.class, TrainCommand.class, ImportCommand.class, EvaluateCommand.class,
            io.imageworker.bench.BenchCommand.class})
public class ImageWorkerCommand implements java.util.concurrent.Callable<Integer> {

    private static final Set<String> CLIENT_COMMANDS = Set.of("submit", "train", "evaluate", "bench", "help");

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    ServeCommand serve;

    /** True when {@code args} start the worker: {@code serve} or no command at all. */
    public static boolean isServe(String... args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return false;
            }
            if (!a.startsWith("-")) {
                return !CLIENT_COMMANDS.contains(a);
            }
        }
        return true;
    }

    /** Serves; the exit status is serve's (1 when the worker could not start), not always 0. */
    @Override
    public Integer call() {
        return serve.call();
    }
}
