package io.imageworker.cli;

import io.imageworker.Main;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * Entry point of the tools' artifact ({@code tools/target/quarkus-app/quarkus-run.jar}): {@code submit},
 * {@code train}, {@code evaluate}, {@code import}, {@code bench}, and {@code serve} (the worker with the
 * live-update check against a card's bars, which needs the evaluations and data only this artifact carries).
 * Named, because the worker's {@link Main} is on this artifact's class path too;
 * {@code quarkus.package.main-class=tools} picks this one.
 */
@QuarkusMain(name = "tools")
public final class ToolsMain {

    private ToolsMain() {}

    /**
     * Starts the command line {@code args}; only {@code serve} (or no command) opens the HTTP port and
     * logs at INFO (see {@link Main#configureProcess(boolean)}).
     *
     * @param args the command line, parsed by picocli inside Quarkus
     */
    public static void main(String... args) {
        Main.configureProcess(ImageWorkerCommand.isServe(args));
        Quarkus.run(App.class, args);
    }

    /** Runs the picocli command tree with CDI-aware command instances. */
    public static final class App implements QuarkusApplication {

        @Inject
        CommandLine.IFactory factory;

        @Override
        public int run(String... args) {
            return new CommandLine(ImageWorkerCommand.class, factory).execute(args);
        }
    }
}
