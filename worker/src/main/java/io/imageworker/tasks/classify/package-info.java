/**
 * Task {@code classify} (Cloud Vision's LABEL_DETECTION on the project's models): top-K labels of
 * each image, its handler and DJL translator. Stage: tasks.
 */
package io.imageworker.tasks.classify;
