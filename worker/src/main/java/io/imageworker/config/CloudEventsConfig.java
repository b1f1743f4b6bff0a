package io.imageworker.config;

import java.util.Optional;

/**
 * The CloudEvents attributes (Kafka protocol binding, binary mode: {@code ce_*} headers) that
 * result and progress events carry.
 */
public interface CloudEventsConfig {
    /** The events' {@code source} attribute, a URI reference; unset: {@code /image-worker/<worker id>}. */
    Optional<String> source();
}
