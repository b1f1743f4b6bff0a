/**
 * Task {@code segment}: a class per pixel (mask PNG, colour overlay, class fractions), its handler,
 * translator and mask type. Stage: tasks.
 */
package io.imageworker.tasks.segment;
