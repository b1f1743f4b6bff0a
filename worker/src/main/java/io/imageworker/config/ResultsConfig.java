package io.imageworker.config;

import io.smallrye.config.WithDefault;

/** The files written beside each job's result.json. */
public interface ResultsConfig {
    /** Write report.html (a contact sheet of the job) for jobs of at least {@link #reportMinItems} items. */
    @WithDefault("true")
    boolean report();

    /**
     * Write report.html only for jobs with at least this many items: a one-image contact sheet
     * says nothing result.json does not, and costs a PUT per job.
     */
    @WithDefault("2")
    int reportMinItems();

    /**
     * Write items.jsonl (one item per line) for jobs with at least this many items; smaller jobs
     * have all their items in result.json and the event anyway.
     */
    @WithDefault("2")
    int itemsFileMinItems();
}
