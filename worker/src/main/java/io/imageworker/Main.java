package io.imageworker;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point of the worker's artifact and image: it serves ({@code serve}, also taken as a first
 * argument for command lines written for the tools' jar) until SIGTERM. The tools ({@code submit},
 * {@code train}, {@code evaluate}, {@code import}, {@code bench}) are another artifact, {@code tools/}.
 *
 * <p>The native allocators and the shipped font are set before any engine loads and before Quarkus starts
 * threads; {@code --help} and {@code --version} print without opening the HTTP port.
 */
@QuarkusMain
public final class Main {

    private Main() {}

    /**
     * Starts the worker with the command line {@code args} ({@code [serve] [-h] [-V]}).
     *
     * @param args the command line; a leading {@code serve} is dropped
     */
    public static void main(String... args) {
        configureProcess(isServe(args));
        Quarkus.run(App.class, args);
    }

    /**
     * Sets what must be set before Quarkus and the engines start: the native allocators
     * ({@code NativeMemory.configure}), the shipped font for fontconfig ({@code Fonts}), and, for a
     * process that will not serve, no HTTP port, log level WARN and a bare console log format (unless
     * already given as system properties), so that a client command beside a running worker neither
     * fights it for port 8080 nor buries its output under start-up logs.
     *
     * @param serve whether this process serves
     */
    public static void configureProcess(boolean serve) {
        io.imageworker.batching.NativeMemory.configure();
        io.imageworker.imaging.Fonts.configure();
        if (!serve) {
            setIfAbsent("quarkus.http.host-enabled", "false");
            setIfAbsent("quarkus.log.level", "WARN");
            setIfAbsent("quarkus.log.console.format", "%-5p %s%e%n");
        }
    }

    private static boolean isServe(String... args) {
        return Arrays.stream(args).noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Runs {@link ServeCommand}, the CDI bean, as the command line. */
    public static final class App implements QuarkusApplication {

        @Inject
        CommandLine.IFactory factory;

        // @Any: with one @Command in the application, quarkus-picocli qualifies it @TopCommand, and picocli's
        // factory, asked for the class alone, then builds it without CDI (no Worker injected)
        @Inject
        @jakarta.enterprise.inject.Any
        ServeCommand serve;

        @Override
        public int run(String... args) {
            String[] rest = args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args;
            return new CommandLine(serve, factory).execute(rest);
        }
    }
}
