/**
 * Task {@code annotate}: several Cloud Vision features of each image at once, each served by the
 * task that answers it, and Cloud Vision's {@code asyncBatchAnnotate} output files.
 */
package io.imageworker.tasks.annotate;
