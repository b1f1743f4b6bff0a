package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Turned, CMYK/YCCK, transparent and WebP images through the real broker, object store and worker
 * (classify): each gets the digit a person sees, and the item reports the viewer's width and height.
 * WebP has no JDK reader, so its label also proves that the TwelveMonkeys readers serve the running worker.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class FieldImagesJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void eachImageIsClassifiedAsAViewerShowsIt() throws Exception {
        String jobId = "field-" + UUID.randomUUID();
        List<FieldImages.Case> cases = FieldImages.all();
        List<String> uris = new ArrayList<>();
        for (FieldImages.Case c : cases) {
            uris.add(upload(jobId + "/" + c.name(), c.bytes()));
        }
        events.produce("image-jobs", jobId, ClassifyJobTest.job(jobId, uris));

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        for (int i = 0; i < cases.size(); i++) {
            FieldImages.Case c = cases.get(i);
            JsonNode item = result.path("items").get(i);
            assertThat(item.path("status").asText()).as("%s: %s", c.name(), item).isEqualTo("succeeded");
            assertThat(item.path("labels").get(0).path("label").asText()).as("top label of %s: %s", c.name(), item)
                    .isEqualTo(c.label());
            assertThat(item.path("width").asInt()).as("width of %s", c.name()).isEqualTo(c.width());
            assertThat(item.path("height").asInt()).as("height of %s", c.name()).isEqualTo(c.height());
        }
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
    }
}
