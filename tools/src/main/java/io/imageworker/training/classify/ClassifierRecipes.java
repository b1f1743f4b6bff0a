package io.imageworker.training.classify;

import io.imageworker.training.Recipe;
import io.imageworker.training.RecipeSource;
import java.util.List;

/** The classifier ladder (softmax to CNN with batch norm) recipes, for {@link io.imageworker.training.RecipeBook}. */
public final class ClassifierRecipes implements RecipeSource {

    @Override
    public List<? extends Recipe> recipes() {
        return ClassifierRecipe.ladder();
    }
}
