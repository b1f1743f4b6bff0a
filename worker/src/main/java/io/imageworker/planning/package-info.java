/**
 * Planning: a job's inputs, listed or expanded from a prefix page by page, each checked against
 * the allow-lists and the per-job limit. Beside the pipeline; imports storage and intake's rejection.
 */
package io.imageworker.planning;
