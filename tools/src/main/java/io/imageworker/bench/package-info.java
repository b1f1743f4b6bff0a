/**
 * The {@code bench} command: engine, end-to-end and memory measurements with ratios against a
 * baseline of the same run. A tool layer; drives a packaged worker as a separate process.
 * {@link io.imageworker.bench.BenchCommand} runs the sections; each is a {@code Measure} of its own.
 */
package io.imageworker.bench;
