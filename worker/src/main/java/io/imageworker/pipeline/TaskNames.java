package io.imageworker.pipeline;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.util.Iterator;
import java.util.List;

/**
 * The names of every task of the application, from the registry the worker serves from
 * ({@link Tasks#known()}), sorted: what {@code --task} of {@code submit} and {@code bench} offers in
 * its help ({@code ${COMPLETION-CANDIDATES}}), so that a new task needs no edit here. Empty where no
 * CDI container runs (a command line built outside the application).
 */
public final class TaskNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }

    /** Every task's name, sorted; empty without a running CDI container. */
    public static List<String> names() {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return List.of();
        }
        return List.copyOf(container.instance(Tasks.class).get().known().keySet());
    }
}
