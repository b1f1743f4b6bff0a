/**
 * Publish, the last stage: result, progress and dead-letter records produced with one idempotent
 * producer ({@code acks=all}); the only package besides intake that imports Kafka's client.
 */
package io.imageworker.publish;
