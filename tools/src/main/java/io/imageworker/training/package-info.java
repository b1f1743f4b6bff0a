/**
 * Training and evaluation of the project's models from MNIST: recipes ({@code train --recipe}),
 * the step loop, learning-rate schedules, model writing with provenance, and the evaluations that
 * {@code evaluate} and the tests hold each model card to. Imports DJL, models and tasks (to measure
 * through the translators the worker serves with).
 */
package io.imageworker.training;
