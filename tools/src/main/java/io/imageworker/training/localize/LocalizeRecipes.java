package io.imageworker.training.localize;

import io.imageworker.training.Recipe;
import io.imageworker.training.RecipeSource;
import java.util.List;

/** The class activation map network recipes, for {@link io.imageworker.training.RecipeBook}. */
public final class LocalizeRecipes implements RecipeSource {

    @Override
    public List<? extends Recipe> recipes() {
        return LocalizeTraining.recipes();
    }
}
