/**
 * The job orchestrator and composition root: {@code JobService} serves a job from envelope to
 * published result (plan, run items, write result files, publish), {@code JobRunner} fetches,
 * decodes and hands each item to its task, {@code Worker} wires the stages from configuration and
 * {@code Tasks} collects the discovered tasks. May import every stage below it; only the tools
 * (cli, bench) import it.
 */
package io.imageworker.pipeline;
