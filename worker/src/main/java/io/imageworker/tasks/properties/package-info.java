/**
 * Task {@code properties} (Cloud Vision's IMAGE_PROPERTIES): dominant colours, no model. Stage: tasks.
 */
package io.imageworker.tasks.properties;
