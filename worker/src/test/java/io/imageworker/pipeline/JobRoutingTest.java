package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.intake.JobEnvelope;
import io.imageworker.intake.JobParser;
import io.imageworker.intake.NotificationRules;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.publish.Publisher;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.VisionAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.tasks.properties.PropertiesTask;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Routing by task in the orchestrator, no broker: a worker serving {@code properties} forwards the
 * jobs a pool serves to that pool's topic as they came, answering the consumed record (so a
 * transactional publisher commits the forward with its offset), and dead-letters what nobody serves.
 */
class JobRoutingTest {

    /** A task of the application that this worker does not serve: only its name and feature matter here. */
    record Elsewhere(String task, String visionFeature) implements VisionAnswer {
        @Override
        public void validate(JobRequest job, ServedModel<?, ?> model) {
            throw new AssertionError("a task not served here is never planned here");
        }

        @Override
        public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
            throw new AssertionError("a task not served here never runs here");
        }

        @Override
        public ObjectNode visionAnnotation(JsonNode item) {
            throw new AssertionError("a task not served here never answers here");
        }
    }

    /** A task of the application, not served here, that answers no Cloud Vision feature. */
    record ElsewhereNoFeature(String task) implements TaskHandler {
        @Override
        public void validate(JobRequest job, ServedModel<?, ?> model) {
            throw new AssertionError("a task not served here is never planned here");
        }

        @Override
        public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
            throw new AssertionError("a task not served here never runs here");
        }
    }

    /** Records which consumed record each send answers. */
    static final class AnsweringPublisher extends JobServiceTest.InMemoryPublisher {
        final List<String> answered = new ArrayList<>();

        @Override
        public Publisher answering(String topic, int partition, long offset) {
            answered.add(topic + "/" + partition + "@" + offset);
            return this;
        }
    }

    final AnsweringPublisher publisher = new AnsweringPublisher();
    final Tasks tasks = new Tasks(List.of(new PropertiesTask(), new Elsewhere("classify", "LABEL_DETECTION"),
            new Elsewhere("text", "TEXT_DETECTION"), new ElsewhereNoFeature("annotate")), JobServiceTest.models(),
            List.of("properties"));
    final TaskRoutes.Pool labels = new TaskRoutes.Pool("labels", "jobs-labels", Set.of("classify"));
    final JobService service = service(new TaskRoutes(tasks.byName().keySet(), List.of(labels), tasks.known().keySet(),
            tasks.taskByVisionFeature(), "jobs"));

    JobService service(TaskRoutes routes) {
        return JobServiceTest.service(tasks, publisher, new IntakeFaults(false), "notifications",
                new NotificationRules(List.of(new NotificationRules.Rule("uploads", "images", "uploads/", "classify", null,
                        "{\"topK\":2}", null, 4)), List.of(".png"), 1 << 20, Set.of("images"), JobServiceTest.SCHEMAS, 1 << 20),
                routes, publisher);
    }

    static final String CLASSIFY = "{\"jobId\":\"c-1\",\"task\":\"classify\",\"priority\":7,"
            + "\"deadline\":\"2099-01-01T00:00:00Z\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}";

    @Test
    void aJobOfATaskAPoolServesIsForwardedAsItCameWithTheRoutingInTwoHeaders() throws Exception {
        JobEnvelope record = new JobEnvelope("jobs", 2, 41, 1_700_000_000_000L, "key-1".getBytes(StandardCharsets.UTF_8),
                CLASSIFY.getBytes(StandardCharsets.UTF_8), List.of(new JobEnvelope.Header("traceparent",
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8)),
                        new JobEnvelope.Header("x-null", null)));
        service.handle(record, 1).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(publisher.sent).hasSize(1);
        JobServiceTest.Sent routed = publisher.on("jobs-labels").get(0);
        assertThat(routed.key()).isEqualTo("key-1");
        assertThat(routed.value()).as("value byte for byte: deadline and priority ride in it").isEqualTo(record.value());
        assertThat(routed.header("traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c");
        assertThat(routed.headers()).containsKey("x-null");
        assertThat(routed.header(TaskRoutes.ROUTED_FROM)).isEqualTo("jobs/2@41");
        assertThat(routed.header(TaskRoutes.ROUTED_TO)).isEqualTo("labels");
        assertThat(publisher.answered).as("the forward answers the consumed record").containsExactly("jobs/2@41");
        assertThat(service.jobsInFlight()).isZero();
    }

    @Test
    void aJobNobodyServesIsDeadLetteredNotServedWithTheReasonAndTheSubmitterIsTold() throws Exception {
        String text = "{\"jobId\":\"t-1\",\"task\":\"text\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}";
        service.handle(JobServiceTest.envelope(text), 1).toCompletableFuture().get(5, TimeUnit.SECONDS);

        JobServiceTest.Sent dead = publisher.on("dlq").get(0);
        assertThat(dead.header("dlq-reason-code")).isEqualTo("not-served");
        assertThat(dead.header("dlq-reason")).contains("task 'text' is not served by this worker")
                .contains("labels [classify]");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(JobServiceTest.SCHEMAS.violations(io.imageworker.events.EventSchemas.Contract.DEAD_LETTER,
                JobServiceTest.JSON.valueToTree(JobServiceTest.textHeaders(dead)))).isEmpty();
        assertThat(publisher.on("results").get(0).json().path("status").asText()).isEqualTo("rejected");
        assertThat(publisher.on("jobs-labels")).isEmpty();
    }

    @Test
    void aJobRoutedOnceIsNotRoutedAgainSoNothingLoops() throws Exception {
        service.handle(JobServiceTest.envelope(CLASSIFY, new JobEnvelope.Header(TaskRoutes.ROUTED_FROM,
                "image-jobs/0@3".getBytes(StandardCharsets.UTF_8))), 1).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(publisher.on("jobs-labels")).isEmpty();
        assertThat(publisher.on("dlq").get(0).header("dlq-reason")).contains("routed here from image-jobs/0@3");
    }

    @Test
    void aNotificationsJobIsRoutedByItsRulesTaskAsTheJobEventTheRuleMakes() throws Exception {
        String doc = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                + "\"eventTime\":\"2026-12-07T00:00:00.000Z\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"uploads/a.png\",\"size\":10,\"eTag\":\"e1\",\"sequencer\":\"01\"}}}]}";
        service.handle(new JobEnvelope("notifications", 0, 9, 0L, null, doc.getBytes(StandardCharsets.UTF_8), List.of()), 1)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        JobServiceTest.Sent routed = publisher.on("jobs-labels").get(0);
        JobRequest job = new JobParser(JobServiceTest.SCHEMAS, 1 << 20).parse(routed.value());
        assertThat(routed.key()).as("keyed by the job id like any job event").isEqualTo(job.jobId());
        assertThat(job.task()).isEqualTo("classify");
        assertThat(job.priority()).isEqualTo(4);
        assertThat(routed.header(TaskRoutes.ROUTED_FROM)).isEqualTo("notifications/0@9");
        assertThat(publisher.on("dlq")).isEmpty();
    }

    @Test
    void routesToPoolsNeedAPublisher() {
        TaskRoutes routes = new TaskRoutes(Set.of("properties"), List.of(labels), tasks.known().keySet(), Map.of(), "jobs");
        assertThatThrownBy(() -> JobServiceTest.service(tasks, publisher, new IntakeFaults(false), null, null, routes, null))
                .hasMessageContaining("publisher");
    }

    @Test
    void aPoolServesOnlyTheTasksItNamesAndANameThatIsNoTaskStopsTheStart() {
        assertThat(tasks.byName().keySet()).containsExactly("properties");
        assertThat(tasks.known().keySet()).containsExactly("annotate", "classify", "properties", "text");
        assertThat(tasks.taskByVisionFeature()).containsEntry("LABEL_DETECTION", "classify")
                .containsEntry("IMAGE_PROPERTIES", "properties");
        assertThatThrownBy(() -> new Tasks(tasks.known().values(), JobServiceTest.models(), List.of("properties", "ocr")))
                .hasMessageContaining("'ocr'").hasMessageContaining("no task of this application");
        assertThatThrownBy(() -> new Tasks(tasks.known().values(), JobServiceTest.models(), List.of()))
                .hasMessageContaining("names no task");
    }
}
