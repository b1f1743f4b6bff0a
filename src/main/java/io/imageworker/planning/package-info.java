/**
 * Planning: a job's inputs, listed or expanded from a prefix page by page, each checked against
 * the allow-lists and the per-job limit. Beside the pipeline; imports storage and the job contract ({@code job}).
 */
package io.imageworker.planning;
