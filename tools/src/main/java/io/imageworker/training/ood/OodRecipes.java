package io.imageworker.training.ood;

import io.imageworker.training.Recipe;
import io.imageworker.training.RecipeSource;
import java.util.List;

/** The OodRecipe()) out-of-distribution detector recipes, for {@link io.imageworker.training.RecipeBook}. */
public final class OodRecipes implements RecipeSource {

    @Override
    public List<? extends Recipe> recipes() {
        return List.of(new OodRecipe());
    }
}
