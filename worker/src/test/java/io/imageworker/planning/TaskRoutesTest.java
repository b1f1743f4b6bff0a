package io.imageworker.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import io.imageworker.intake.JobParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a job goes by its task alone: this worker, the first pool that serves it, or refused with why. */
class TaskRoutesTest {

    static final JobParser PARSER = new JobParser(new EventSchemas(), 1 << 20);
    static final Set<String> KNOWN = Set.of("annotate", "classify", "faces", "properties", "text", "segment");
    static final Map<String, String> FEATURES = Map.of("LABEL_DETECTION", "classify", "TEXT_DETECTION", "text",
            "FACE_DETECTION", "faces", "IMAGE_PROPERTIES", "properties");
    static final TaskRoutes.Pool TEXT = new TaskRoutes.Pool("text", "image-jobs-text", Set.of("text", "faces"));
    static final TaskRoutes.Pool VISION = new TaskRoutes.Pool("vision", "image-jobs-vision",
            Set.of("annotate", "text", "faces", "properties"));

    /** A router serving classify and properties, with the two pools above. */
    final TaskRoutes router = new TaskRoutes(Set.of("classify", "properties"), List.of(VISION, TEXT), KNOWN, FEATURES,
            "image-jobs");

    static JobRequest job(String task) throws Exception {
        return parse("{\"jobId\":\"j\",\"task\":\"" + task + "\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}");
    }

    static JobRequest annotate(String... features) throws Exception {
        StringBuilder f = new StringBuilder();
        for (String type : features) {
            f.append(f.length() == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\"}");
        }
        return parse("{\"jobId\":\"a\",\"features\":[" + f + "],\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}");
    }

    static JobRequest parse(String json) throws Exception {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTaskServedByAPoolGoesToTheFirstPoolByNameThatServesIt() throws Exception {
        // text is served by both pools: "text" sorts before "vision" whatever the configured order
        assertThat(router.route(job("text"), null)).isEqualTo(new TaskRoutes.Forward(TEXT));
        assertThat(router.route(job("faces"), null)).isEqualTo(new TaskRoutes.Forward(TEXT));
        assertThat(router.route(job("classify"), null)).isEqualTo(new TaskRoutes.Serve());
    }

    @Test
    void anAnnotateJobGoesToAPoolThatServesEveryFeatureOrIsRefusedSayingWhatItNeeds() throws Exception {
        assertThat(router.route(annotate("TEXT_DETECTION", "FACE_DETECTION", "IMAGE_PROPERTIES"), null))
                .isEqualTo(new TaskRoutes.Forward(VISION));
        // a type no task answers needs no task: it is answered not-available wherever the job runs
        assertThat(router.route(annotate("TEXT_DETECTION", "LANDMARK_DETECTION"), null))
                .isEqualTo(new TaskRoutes.Forward(VISION));
        TaskRoutes.Route labels = router.route(annotate("TEXT_DETECTION", "LABEL_DETECTION"), null);
        assertThat(labels).isInstanceOf(TaskRoutes.Refuse.class);
        assertThat(((TaskRoutes.Refuse) labels).reason()).contains("[annotate, classify, text]")
                .contains("no pool serves them all").contains("text [faces, text]")
                .contains("vision [annotate, faces, properties, text]");
    }

    /** DOCUMENT_TEXT_DETECTION, which no task answers by name, needs the task that answers TEXT_DETECTION, as planning serves it. */
    @Test
    void denseTextNeedsTheTextTask() throws Exception {
        TaskRoutes annotateHere = new TaskRoutes(Set.of("annotate", "properties"), List.of(TEXT), KNOWN, FEATURES,
                "image-jobs");
        assertThat(annotateHere.route(annotate("IMAGE_PROPERTIES"), null)).isEqualTo(new TaskRoutes.Serve());
        TaskRoutes.Route dense = annotateHere.route(annotate("DOCUMENT_TEXT_DETECTION"), null);
        assertThat(dense).isInstanceOf(TaskRoutes.Refuse.class);
        assertThat(((TaskRoutes.Refuse) dense).reason()).contains("needs the tasks [annotate, text]").contains("not [text]");
        assertThat(JobPlanner.answering(FEATURES, "DOCUMENT_TEXT_DETECTION")).isEqualTo("text");
        assertThat(JobPlanner.answering(Map.of("DOCUMENT_TEXT_DETECTION", "dense", "TEXT_DETECTION", "text"),
                "DOCUMENT_TEXT_DETECTION")).as("a task answering it by name").isEqualTo("dense");
        assertThat(JobPlanner.answering(FEATURES, "LANDMARK_DETECTION")).isNull();
    }

    @Test
    void aRoutedJobIsNeverRoutedAgainItIsServedHereOrRefused() throws Exception {
        TaskRoutes.Route again = router.route(job("text"), "image-jobs/0@7");
        assertThat(again).isInstanceOf(TaskRoutes.Refuse.class);
        assertThat(((TaskRoutes.Refuse) again).reason()).contains("routed here from image-jobs/0@7")
                .contains("not routed again");
        assertThat(router.route(job("classify"), "image-jobs/0@7")).isEqualTo(new TaskRoutes.Serve());
    }

    @Test
    void withoutPoolsATaskNotServedIsRefusedAndATaskTheApplicationLacksIsLeftToPlanning() throws Exception {
        TaskRoutes pool = TaskRoutes.none(Set.of("text", "faces"), KNOWN, FEATURES);
        TaskRoutes.Route r = pool.route(job("classify"), null);
        assertThat(r).isInstanceOf(TaskRoutes.Refuse.class);
        assertThat(((TaskRoutes.Refuse) r).reason()).contains("task 'classify' is not served by this worker")
                .contains("no pool is configured");
        // planning refuses it as invalid-job, as it always did
        assertThat(pool.route(job("generate"), null)).isEqualTo(new TaskRoutes.Serve());
        // every task served, no pool: today's worker
        assertThat(TaskRoutes.none(KNOWN, KNOWN, FEATURES).route(annotate("TEXT_DETECTION", "LABEL_DETECTION"), null))
                .isEqualTo(new TaskRoutes.Serve());
    }

    @Test
    void aPoolThatWouldLoopOrServesUnknownTasksStopsTheStart() {
        assertThatThrownBy(() -> new TaskRoutes(Set.of("classify"), List.of(new TaskRoutes.Pool("self", "image-jobs",
                Set.of("text"))), KNOWN, FEATURES, "image-jobs")).hasMessageContaining("routing.pools.self.topic");
        assertThatThrownBy(() -> new TaskRoutes(Set.of("classify"), List.of(new TaskRoutes.Pool("ocr", "ocr-jobs",
                Set.of("text", "ocr"))), KNOWN, FEATURES, "image-jobs")).hasMessageContaining("[ocr] are no tasks");
        assertThatThrownBy(() -> new TaskRoutes(Set.of("classify"), List.of(new TaskRoutes.Pool("Text_Pool", "t",
                Set.of("text"))), KNOWN, FEATURES, "image-jobs")).hasMessageContaining("lower-case letters and digits");
    }
}
