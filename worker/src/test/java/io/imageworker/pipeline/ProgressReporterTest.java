package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.events.EventSchemas;
import io.imageworker.publish.CloudEventHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress events of jobs with many items, and of jobs of few items with long documents. */
class ProgressReporterTest {

    static final EventSchemas SCHEMAS = new EventSchemas();
    static final ObjectMapper JSON = new ObjectMapper();

    final JobServiceTest.InMemoryPublisher publisher = new JobServiceTest.InMemoryPublisher();

    ProgressReporter reporter(Duration interval, int minItems, int minPages) {
        return new ProgressReporter(publisher, JSON, "progress", "w-1", interval, minItems, minPages,
                new CloudEventHeaders(CloudEventHeaders.defaultSource("w-1")));
    }

    List<JsonNode> events() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JobServiceTest.Sent s : publisher.on("progress")) {
            JsonNode event = s.json();
            assertThat(SCHEMAS.violations(EventSchemas.Contract.PROGRESS, event)).as(event.toString()).isEmpty();
            out.add(event);
        }
        return out;
    }

    /** One 50-page PDF is one item: its pages go by in the events, each page past the interval (0 here) an event. */
    @Test
    void aJobOfOneLongDocumentReportsItsPages() throws Exception {
        JobRunner.Progress p = reporter(Duration.ZERO, 100, 10).track("pdf-job", 1);
        p.opened(50);
        for (int i = 0; i < 50; i++) {
            p.done();
        }
        p.items(1, 0);

        List<JsonNode> events = events();
        assertThat(events).hasSize(51);
        for (int i = 0; i < 50; i++) {
            assertThat(events.get(i).path("pages").path("done").asInt()).isEqualTo(i + 1);
            assertThat(events.get(i).path("pages").path("total").asInt()).isEqualTo(50);
            assertThat(events.get(i).path("done").asInt()).isZero();
        }
        JsonNode last = events.get(50);
        assertThat(last.path("done").asInt()).isEqualTo(1);
        assertThat(last.path("total").asInt()).isEqualTo(1);
        assertThat(last.path("pages").path("done").asInt()).isEqualTo(50);
        assertThat(publisher.on("progress").get(0).key()).isEqualTo("pdf-job");
    }

    /** Within the interval only the last item's event goes out; a short document makes none. */
    @Test
    void theIntervalAndTheThresholdsHoldEventsBack() throws Exception {
        JobRunner.Progress p = reporter(Duration.ofHours(1), 100, 10).track("long", 1);
        p.opened(30);
        for (int i = 0; i < 30; i++) {
            p.done();
        }
        p.items(1, 0);
        JobRunner.Progress shortDoc = reporter(Duration.ZERO, 100, 10).track("short", 1);
        shortDoc.opened(9);
        for (int i = 0; i < 9; i++) {
            shortDoc.done();
        }
        shortDoc.items(1, 0);

        List<JsonNode> events = events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("jobId").asText()).isEqualTo("long");
        assertThat(events.get(0).path("pages").path("done").asInt()).isEqualTo(30);
    }

    /** A job of many images reports as before, without pages; a late, smaller count does not go backwards. */
    @Test
    void aJobOfManyImagesReportsItemsWithoutPages() throws Exception {
        JobRunner.Progress p = reporter(Duration.ZERO, 3, 10).track("images", 3);
        p.items(1, 0);
        p.items(3, 1);
        p.items(2, 1);

        List<JsonNode> events = events();
        assertThat(events).extracting(e -> e.path("done").asInt()).containsExactly(1, 3);
        assertThat(events).allSatisfy(e -> assertThat(e.has("pages")).isFalse());
    }
}
