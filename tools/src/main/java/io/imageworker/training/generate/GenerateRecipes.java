package io.imageworker.training.generate;

import io.imageworker.training.Recipe;
import io.imageworker.training.RecipeSource;
import java.util.List;

/** The DCGAN recipes, for {@link io.imageworker.training.RecipeBook}. */
public final class GenerateRecipes implements RecipeSource {

    @Override
    public List<? extends Recipe> recipes() {
        return GanRecipe.all();
    }
}
