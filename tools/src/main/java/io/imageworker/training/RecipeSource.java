package io.imageworker.training;

import java.util.List;

/**
 * A training package's recipes, found by {@link RecipeBook} through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.imageworker.training.RecipeSource}), as evaluations are: the book names no
 * package of a task, so {@code training} and its sub-packages form no cycle, and a new recipe is one line
 * in that file.
 */
public interface RecipeSource {

    /**
     * The recipes, in the order {@code train --help} lists them.
     *
     * @return the recipes this package trains, each with a name unique across the book
     */
    List<? extends Recipe> recipes();
}
