package io.imageworker.training;

import io.imageworker.training.classify.ClassifierRecipe;
import io.imageworker.training.generate.GanRecipe;
import io.imageworker.training.localize.LocalizeTraining;
import io.imageworker.training.ood.OodRecipe;
import io.imageworker.training.segment.SegmentTraining;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every recipe {@code train} knows, by name. */
public final class RecipeBook {

    private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

    static {
        ClassifierRecipe.ladder().forEach(r -> RECIPES.put(r.name(), r));
        SegmentTraining.recipes().forEach(r -> RECIPES.put(r.name(), r));
        LocalizeTraining.recipes().forEach(r -> RECIPES.put(r.name(), r));
        GanRecipe.all().forEach(r -> RECIPES.put(r.name(), r));
        RECIPES.put("ood-detector", new OodRecipe());
        RECIPES.put("ood-detector", new OodRecipe());
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
