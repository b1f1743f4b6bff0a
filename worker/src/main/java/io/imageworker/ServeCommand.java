package io.imageworker;

import io.imageworker.pipeline.Worker;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import io.quarkus.arc.Unremovable;
import picocli.CommandLine.Command;

/** {@code serve}: runs the worker until the process is told to stop (SIGTERM: jobs in flight get the grace period). */
@Unremovable
@Dependent
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs the worker: consumes jobs, serves them, publishes results (the default command).")
public class ServeCommand implements Runnable, Callable<Integer> {

    @Inject
    Worker worker;

    @Override
    public void run() {
        call();
    }

    @Override
    public Integer call() {
        try {
            worker.start();
        } catch (Exception e) {
            System.err.println("image-worker could not start: " + e.getMessage());
            return 1;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
