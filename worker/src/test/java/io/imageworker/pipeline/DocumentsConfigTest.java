package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.config.DocumentsConfig;
import io.imageworker.documents.DocumentLimits;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The configuration's {@code image-worker.documents.*} defaults ({@code @WithDefault} strings, read by
 * the configuration's own converters) are {@link DocumentLimits#defaults()}: the documents stage and
 * the worker's settings cannot drift apart.
 */
class DocumentsConfigTest {

    static DocumentsConfig mapped(String... properties) {
        // Quarkus reads durations its own way ("30s"), as the worker does
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withMapping(DocumentsConfig.class, "image-worker.documents")
                .withConverter(Duration.class, 200, new DurationConverter());
        for (int i = 0; i < properties.length; i += 2) {
            builder.withDefaultValue(properties[i], properties[i + 1]);
        }
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(DocumentsConfig.class, "image-worker.documents");
    }

    @Test
    void theConfigurationsDefaultsAreTheDocumentStagesDefaults() {
        assertThat(JobServiceWiring.documentLimits(mapped())).isEqualTo(DocumentLimits.defaults());
    }

    /** The test can fail: a changed setting reaches the limits. */
    @Test
    void aSettingReachesTheLimits() {
        DocumentLimits limits = JobServiceWiring.documentLimits(mapped("image-worker.documents.page-timeout", "5s",
                "image-worker.documents.max-pages", "7"));
        assertThat(limits).isNotEqualTo(DocumentLimits.defaults());
        assertThat(limits.pageTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.maxPages()).isEqualTo(7);
    }
}
