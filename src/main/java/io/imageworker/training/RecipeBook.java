package io.imageworker.training;

import io.imageworker.training.classify.ClassifierRecipe;
import io.imageworker.training.generate.GanRecipe;
import io.imageworker.training.localize.LocalizeRecipe;
import io.imageworker.training.ood.OodRecipe;
import io.imageworker.training.segment.SegmentRecipe;
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
        SegmentRecipe.all().forEach(r -> RECIPES.put(r.name(), r));
        LocalizeRecipe.all().forEach(r -> RECIPES.put(r.name(), r));
        GanRecipe.all().forEach(r -> RECIPES.put(r.name(), r));
        RECIPES.put("ood-detector", new OodRecipe());
    }

    private RecipeBook() {}

    public static Recipe get(String name) {
        Recipe r = RECIPES.get(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown recipe '" + name + "'; known: " + RECIPES.keySet());
        }
        return r;
    }

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
