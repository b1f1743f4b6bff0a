/**
 * The job orchestrator and composition root, at the top of the serving line: {@code JobService} serves
 * a record as a short flow of stage calls (read, route, plan, run, write, answer), {@code Answers} says
 * what answers it, {@code JobRunner} fetches, decodes and hands each item to its task,
 * {@code ResultWriter} writes the result files, {@code JobServiceWiring} builds the stages from the
 * configuration's groups, {@code Worker} starts and stops the process and {@code Tasks} collects the
 * discovered tasks. May import every package below it; only the tools (cli, bench) import it.
 */
package io.imageworker.pipeline;
