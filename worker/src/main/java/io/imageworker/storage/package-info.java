/**
 * Object storage: the S3 client (AWS SDK v2, the only package that imports it), reads with size
 * checks before download, writes, listings, the allow-lists of input buckets and output prefixes,
 * and the S3 model source. Beside the pipeline: used by pipeline, planning, artifacts and models' loader.
 */
package io.imageworker.storage;
