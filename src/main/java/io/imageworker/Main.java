package io.imageworker;

import io.imageworker.cli.ImageWorkerCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * Entry point of the one packaged application: {@code serve} (the worker, the default),
 * {@code submit}, {@code train}, {@code evaluate}, {@code bench}.
 *
 * <p>Every command boots the same Quarkus application, so before it boots we decide whether this
 * process is the worker: only {@code serve} listens on HTTP (health, metrics) and logs at INFO; a
 * client command on the same machine as a running worker must not fight it for port 8080 or bury
 * its output under start-up logs.
 */
@QuarkusMain
public final class Main {

    private Main() {}

    /**
     * Starts the application with the command line {@code args} (picocli parses them inside
     * Quarkus). It first sets the native allocators ({@code NativeMemory.configure}). For any command but {@code serve} it first sets, unless already given as system
     * properties, {@code quarkus.http.host-enabled=false}, log level WARN and a bare console log
     * format.
     */
    public static void main(String... args) {
        // before any engine loads and before Quarkus starts threads (see NativeMemory.configure)
        io.imageworker.batching.NativeMemory.configure();
        io.imageworker.imaging.Fonts.configure(); // the shipped font, for fontconfig, before AWT starts (see Fonts)
        if (!ImageWorkerCommand.isServe(args)) {
            setIfAbsent("quarkus.http.host-enabled", "false");
            setIfAbsent("quarkus.log.level", "WARN");
            setIfAbsent("quarkus.log.console.format", "%-5p %s%e%n");
        }
        Quarkus.run(App.class, args);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
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
