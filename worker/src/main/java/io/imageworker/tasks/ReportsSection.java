package io.imageworker.tasks;

import io.imageworker.artifacts.ReportSection;

/**
 * Role of a task whose item fields have a reading of their own in {@code report.html} (a table of
 * labels and scores, of boxes, a colour legend); a task without it is left to the generic listing.
 */
public interface ReportsSection extends TaskHandler {

    /** How this task's item fields read in {@code report.html} for the job {@code plan}. */
    ReportSection reportSection(JobPlan plan);
}
