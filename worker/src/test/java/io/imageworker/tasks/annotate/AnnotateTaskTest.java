package io.imageworker.tasks.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.PlannedInput;
import io.imageworker.storage.S3Location;
import io.imageworker.tasks.FeaturePlans;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.SubsamplesInput;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.VisionAnswer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The fan-out and the combining of {@link AnnotateTask} on its own, with stand-in feature tasks (the
 * real tasks, models, broker and store are in {@link AnnotateJobTest}): a feature whose model throws
 * fails alone; every feature failing fails the item; each feature gets the image subsampled to the
 * side its task needs; a Cloud Vision response carries the failed feature's status.
 */
class AnnotateTaskTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final JobRequest.Feature COLOURS = new JobRequest.Feature("IMAGE_PROPERTIES", 0, null);
    static final JobRequest.Feature TEXT = new JobRequest.Feature("TEXT_DETECTION", 0, null);

    /** A stand-in task: answers with the size of the image it was given, or fails as a model would. */
    record Stub(String task, String feature, int side, boolean fails, List<int[]> seen) implements VisionAnswer, SubsamplesInput {
        @Override
        public void validate(JobRequest job, ServedModel<?, ?> model) {
        }

        @Override
        public int inputSide(JobPlan plan) {
            return side;
        }

        @Override
        public String visionFeature() {
            return feature;
        }

        @Override
        public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
            seen.add(new int[] {image.getWidth(), work.subsampling()});
            if (fails) {
                return CompletableFuture.failedFuture(new IllegalStateException("the model ran out of memory"));
            }
            return CompletableFuture.completedFuture(Items.succeeded(work, image, null, Map.of("side", image.getWidth())));
        }

        @Override
        public ObjectNode visionAnnotation(JsonNode item) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.putObject(task + "Annotation").put("side", item.path("side").asInt());
            return out;
        }
    }

    static ItemWork work(List<JobRequest.Feature> asked, Map<JobRequest.Feature, TaskHandler> handlers) {
        JobRequest job = new JobRequest("j1", JobRequest.ANNOTATE, List.of(new JobRequest.Input("s3://images/a.png", null)),
                null, null, null, JsonNodeFactory.instance.objectNode(), 0, null, Map.of(), asked, null);
        S3Location output = S3Location.parse("s3://results/jobs/j1/");
        List<PlannedInput> inputs = List.of(new PlannedInput(0, "s3://images/a.png", null, null, null));
        Map<JobRequest.Feature, FeaturePlans.Feature> byRequest = new LinkedHashMap<>();
        handlers.forEach((f, h) -> byRequest.put(f, new FeaturePlans.Feature(f, h == null ? null
                : new JobPlan(job.forTask(h.task(), null, JsonNodeFactory.instance.objectNode()), null, h,
                        output.resolve(h.task() + "/"), inputs, "t/0@0"), h == null ? f.type() + " is not available" : null)));
        JobPlan plan = new JobPlan(job, null, new AnnotateTask(), output, inputs, "t/0@0", new FeaturePlans(byRequest, null, 0));
        return new ItemWork(plan, inputs.get(0), new ArtifactWriter(null, output, Runnable::run), Runnable::run, 1, 4000, 3000);
    }

    @Test
    void aFeatureWhoseModelFailsFailsAloneAndEachGetsTheSideItsTaskNeeds() throws Exception {
        List<int[]> seen = new ArrayList<>();
        Map<JobRequest.Feature, TaskHandler> handlers = new LinkedHashMap<>();
        handlers.put(COLOURS, new Stub("properties", "IMAGE_PROPERTIES", 1000, false, seen));
        handlers.put(TEXT, new Stub("text", "TEXT_DETECTION", 2000, true, seen));
        ItemWork work = work(List.of(COLOURS, TEXT), handlers);
        AnnotateTask task = new AnnotateTask();
        assertThat(task.inputSide(work.plan())).isEqualTo(2000);

        // the pipeline decoded the 4000 x 3000 input at 1/2 for the text task's 2000 px
        ItemWork decodedAtHalf = new ItemWork(work.plan(), work.input(), work.artifacts(), work.cpu(), 2, 4000, 3000);
        ItemResult item = task.process(decodedAtHalf, new BufferedImage(2000, 1500, BufferedImage.TYPE_INT_RGB)).get();

        assertThat(item.status()).isEqualTo(ItemResult.SUCCEEDED);
        JsonNode json = JSON.valueToTree(item);
        // properties wanted 1000 px: 1/4 of the input, the decoded image halved again
        assertThat(seen.get(0)).containsExactly(1000, 4);
        assertThat(seen.get(1)).containsExactly(2000, 2);
        assertThat(json.path("propertiesAnnotation").path("side").asInt()).isEqualTo(1000);
        assertThat(json.has("textAnnotation")).isFalse();
        JsonNode error = json.path("featureErrors").path("TEXT_DETECTION");
        assertThat(error.path("code").asInt()).isEqualTo(13);
        assertThat(error.path("reason").asText()).isEqualTo("inference-failed");
        assertThat(error.path("message").asText()).contains("ran out of memory");

        ObjectNode response = VisionOutputFiles.response(item);
        assertThat(response.path("propertiesAnnotation").path("side").asInt()).isEqualTo(1000);
        assertThat(response.path("error").path("code").asInt()).isEqualTo(13);
        assertThat(response.path("error").path("message").asText()).startsWith("TEXT_DETECTION: ");
        assertThat(response.path("context").path("uri").asText()).isEqualTo("s3://images/a.png");
        assertThat(response.has("featureErrors")).isFalse();
        assertThat(response.has("status")).isFalse();
    }

    /** TEXT_DETECTION and DOCUMENT_TEXT_DETECTION by the one text task with the same options: the text is read once. */
    @Test
    void twoFeaturesOfOneTaskAndOneWorkShareOneRun() throws Exception {
        List<int[]> seen = new ArrayList<>();
        JobRequest.Feature dense = new JobRequest.Feature("DOCUMENT_TEXT_DETECTION", 0, null);
        Stub text = new Stub("text", "TEXT_DETECTION", 0, false, seen);
        Map<JobRequest.Feature, TaskHandler> handlers = new LinkedHashMap<>();
        handlers.put(TEXT, text);
        handlers.put(dense, text);
        handlers.put(COLOURS, new Stub("properties", "IMAGE_PROPERTIES", 0, false, seen));
        ItemWork work = work(List.of(TEXT, dense, COLOURS), handlers);

        ItemResult item = new AnnotateTask().process(work, new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB)).get();

        assertThat(item.status()).isEqualTo(ItemResult.SUCCEEDED);
        assertThat(seen).as("one run for the two text features, one for the colours").hasSize(2);
        assertThat(JSON.valueToTree(item).path("textAnnotation").path("side").asInt()).isEqualTo(40);
    }

    @Test
    void anItemFailsWhenEveryFeatureDoes() throws Exception {
        JobRequest.Feature safe = new JobRequest.Feature("SAFE_SEARCH_DETECTION", 0, null);
        Map<JobRequest.Feature, TaskHandler> handlers = new LinkedHashMap<>();
        handlers.put(TEXT, new Stub("text", "TEXT_DETECTION", 2000, true, new ArrayList<>()));
        handlers.put(safe, null);
        ItemWork work = work(List.of(TEXT, safe), handlers);

        ItemResult item = new AnnotateTask().process(work, new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB)).get();

        assertThat(item.status()).isEqualTo(ItemResult.FAILED);
        assertThat(item.error().code()).isEqualTo("inference-failed");
        assertThat(item.error().message()).contains("TEXT_DETECTION").contains("SAFE_SEARCH_DETECTION is not available");
        JsonNode errors = JSON.valueToTree(item).path("featureErrors");
        assertThat(errors.path("SAFE_SEARCH_DETECTION").path("code").asInt()).isEqualTo(12);
        assertThat(VisionOutputFiles.response(item).path("error").path("code").asInt()).isEqualTo(13);
    }

    @Test
    void outputFilesAreNamedAsCloudVisionNamesThem() {
        assertThat(VisionOutputFiles.outputFile(1, 20)).isEqualTo("output-1-to-20.json");
        assertThat(VisionOutputFiles.outputFile(41, 45)).isEqualTo("output-41-to-45.json");
    }

    /** A document page that failed (here: past its time budget) answers with its status and its page number. */
    @Test
    void aFailedPageAnswersWithItsStatusAndItsPageNumber() {
        ItemResult page = new ItemResult(0, "s3://images/a.pdf", null, ItemResult.FAILED,
                new io.imageworker.events.ItemError("page-timeout", "page 7: rendering ran past 30 s"), 2480, 3507, null, null,
                Map.of("page", 7));

        ObjectNode response = VisionOutputFiles.response(page);

        assertThat(response.path("error").path("code").asInt()).isEqualTo(4); // DEADLINE_EXCEEDED
        assertThat(response.path("error").path("message").asText()).contains("page 7");
        assertThat(response.path("context").path("uri").asText()).isEqualTo("s3://images/a.pdf");
        assertThat(response.path("context").path("pageNumber").asInt()).isEqualTo(7);
        assertThat(response.has("page")).isFalse();
        assertThat(response.has("width")).isFalse();
    }
}
