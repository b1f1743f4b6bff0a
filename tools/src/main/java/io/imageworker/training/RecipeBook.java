package io.imageworker.training;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every recipe {@code train} knows, by name: those of every {@link RecipeSource} listed for
 * {@link ServiceLoader}, in the order of that list (classifier ladder, segment, localize, generate, ood).
 */
public final class RecipeBook {

    private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

    static {
        for (RecipeSource source : ServiceLoader.load(RecipeSource.class, RecipeBook.class.getClassLoader())) {
            for (Recipe r : source.recipes()) {
                if (RECIPES.putIfAbsent(r.name(), r) != null) {
                    throw new IllegalStateException("two recipes named '" + r.name() + "' (" + source.getClass().getName() + ")");
                }
            }
        }
    }

    private RecipeBook() {}

    /**
     * The recipe named {@code name} (what {@code train --recipe} takes).
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the known ones
     */
    public static Recipe get(String name) {
        Recipe r = RECIPES.get(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown recipe '" + name + "'; known: " + RECIPES.keySet());
        }
        return r;
    }

    /**
     * Every recipe, in registration order (classifier ladder, segment, localize, generate); a new
     * list each call.
     */
    public static List<Recipe> all() {
        return new ArrayList<>(RECIPES.values());
    }

    /** Model folder name a recipe writes by default: {@code mnist-<recipe>}. */
    public static String defaultModelName(Recipe r) {
        return "mnist-" + r.name();
    }

    /** Recipe names for picocli's completion candidates and help. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return RECIPES.keySet().iterator();
        }
    }
}
