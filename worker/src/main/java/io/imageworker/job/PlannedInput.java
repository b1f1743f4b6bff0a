package io.imageworker.job;

import io.imageworker.storage.S3Location;

/**
 * One item of a job: an object to fetch, or why it may not be. Made by planning (a job's listed
 * inputs, or every object under its prefix) or by a task that makes its own items (generate).
 *
 * @param index the item's place in the job, from 0
 * @param uri the input as the job names it ({@code s3://bucket/key})
 * @param id the job's id for the input, or null
 * @param location where to fetch it; null when {@code refusal} says why not
 * @param refusal the allow-list's reason, for a listed input outside it (the item fails alone)
 */
public record PlannedInput(int index, String uri, String id, S3Location location, String refusal) {}
