package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Fault injection for the crash-recovery tests; never set these in production. */
public interface FaultsConfig {
    /**
     * When an input URI contains this text, the worker halts the JVM at once as it starts that
     * item, as a native crash in the engine would.
     */
    Optional<String> haltOnInput();

    /**
     * When true, a job event with the header {@code x-image-worker-fault} naming an intake step
     * ({@code headers}, {@code parse}, {@code trace}, {@code accept}, {@code plan}, {@code publish},
     * {@code dead-letter}) makes the worker throw there, as a bug there would.
     */
    @WithDefault("false")
    boolean intake();
}
