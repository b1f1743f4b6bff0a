package io.imageworker.training.segment;

import io.imageworker.training.Recipe;
import io.imageworker.training.RecipeSource;
import java.util.List;

/** The segmenters (FCN, DeconvNet, DeepLab) recipes, for {@link io.imageworker.training.RecipeBook}. */
public final class SegmentRecipes implements RecipeSource {

    @Override
    public List<? extends Recipe> recipes() {
        return SegmentTraining.recipes();
    }
}
