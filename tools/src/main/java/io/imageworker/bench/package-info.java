/**
 * The {@code bench} command: engine, end-to-end and memory measurements with ratios against a
 * baseline of the same run. A tool layer; drives a packaged worker as a separate process.
 */
package io.imageworker.bench;
