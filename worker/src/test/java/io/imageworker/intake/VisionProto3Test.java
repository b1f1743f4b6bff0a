package io.imageworker.intake;

import io.imageworker.job.Rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.vision.v1.Feature;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import io.imageworker.testing.VisionClientBodies;
import io.imageworker.testing.VisionClientBodies.Spelling;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cloud Vision bodies as Google's client libraries print them are read as the Vision API reads them. */
class VisionProto3Test {

    final JobParser parser = new JobParser(new EventSchemas(), 64 * 1024);

    static final List<String> URIS = List.of("s3://images/uploads/3.png", "s3://images/uploads/4.png");

    JobRequest parse(String body) throws Rejection.Exception {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), "vision-p3".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void everySpellingOfTheSameRequestIsTheSameJob(Spelling spelling) throws Exception {
        String body = VisionClientBodies.asyncBatchAnnotate(spelling, URIS,
                List.of(Feature.Type.LABEL_DETECTION, Feature.Type.TEXT_DETECTION), "s3://results/jobs/p3/");
        if (spelling != Spelling.PLAIN) {
            // what the printer really wrote: the defaults the schema refused before
            assertThat(body).containsAnyOf("\"maxResults\": 0", "\"max_results\": 0");
            assertThat(body).containsAnyOf("\"batchSize\": 0", "\"batch_size\": 0");
        }
        if (spelling == Spelling.PROTO_NAMES) {
            assertThat(body).contains("\"image_uri\"").contains("\"output_config\"").contains("\"type\": 4");
        }

        JobRequest job = parse(body);

        assertThat(job.task()).isEqualTo(JobRequest.ANNOTATE);
        assertThat(job.inputs()).extracting(JobRequest.Input::uri).containsExactlyElementsOf(URIS);
        // maxResults 0 is unset: the task's default, as Cloud Vision answers it
        assertThat(job.featuresOf(1)).containsExactly(new JobRequest.Feature("LABEL_DETECTION", 0, null),
                new JobRequest.Feature("TEXT_DETECTION", 0, null));
        // batchSize 0 is unset: Cloud Vision's 20
        assertThat(job.visionOutput()).isEqualTo(new JobRequest.VisionOutput("s3://results/jobs/p3/", VisionRequests.BATCH_SIZE));
    }

    @Test
    void theFieldCaseIsServedWithDefaults() throws Exception {
        JobRequest job = parse("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/uploads/3.png"}},"features":[{"type":"LABEL_DETECTION","maxResults":0}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/jobs/vision-defaults/"},"batchSize":0}}""");
        assertThat(job.featuresOf(0)).containsExactly(new JobRequest.Feature("LABEL_DETECTION", 0, null));
        assertThat(job.visionOutput().batchSize()).isEqualTo(20);
    }

    @Test
    void setValuesStandInAnySpelling() throws Exception {
        JobRequest job = parse("""
                {"requests":[{"image":{"source":{"image_uri":"s3://images/a.png","gcs_image_uri":""},"content":null},
                   "features":[{"type":19,"max_results":"7","model":""},{"type":"FACE_DETECTION","maxResults":3.0}],
                   "image_context":{"language_hints":["en"]}}],
                 "output_config":{"gcs_destination":{"uri":"s3://results/x/"},"batch_size":"5"},"labels":{"team_name":"t"}}""");
        assertThat(job.featuresOf(0)).containsExactly(new JobRequest.Feature("OBJECT_LOCALIZATION", 7, null),
                new JobRequest.Feature("FACE_DETECTION", 3, null));
        assertThat(job.visionOutput()).isEqualTo(new JobRequest.VisionOutput("s3://results/x/", 5));
        // a map's keys are data, not field names: kept as sent
        assertThat(job.metadata()).containsEntry("team_name", "t");
    }

    @Test
    void fieldsTheRequestDoesNotHaveAreIgnored() throws Exception {
        JobRequest job = parse("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png"}},"features":[{"type":"TEXT_DETECTION","futureOption":true}],
                   "futureRequestField":{"x":1}}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}},"futureTopLevel":"y"}""");
        assertThat(job.featuresOf(0)).containsExactly(new JobRequest.Feature("TEXT_DETECTION", 0, null));
        var read = VisionProto3.read(io.imageworker.testing.EventLog.JSON.readTree("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png"}},"features":[{"type":"TEXT_DETECTION","futureOption":true}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}},"futureTopLevel":"y"}"""), "j");
        assertThat(read.ignored()).containsExactly("/requests/0/features/0/futureOption", "/futureTopLevel");
    }

    @Test
    void whatStillCannotBeServedIsRefusedByName() {
        assertReason("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png","image_uri":"s3://images/b.png"}},"features":[{"type":4}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}}}""", "ambiguous");
        assertReason("""
                {"requests":[{"image":{"content":"iVBORw0KGgo="},"features":[{"type":4}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}}}""", "inline image bytes are not read");
        assertReason("""
                {"requests":[{"image":{"source":{"gcsImageUri":"gs://bucket/a.png"}},"features":[{"type":4}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}}}""", "gs:// objects are not read");
        assertReason("""
                {"requests":[{"image":{"source":{"imageUri":"gs://bucket/a.png"}},"features":[{"type":4}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}}}""", "gs:// objects are not read");
        assertReason("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png"}},"features":[{"type":4}]}],
                 "outputConfig":{"gcsDestination":{"uri":"gs://results/x/"}}}""", "gs:// objects are not read");
        // a number that is no Feature.Type, and a type left unset, are named by the schema
        assertReason("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png"}},"features":[{"type":99}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}}}""", "/features/0/type");
        assertReason("""
                {"requests":[{"image":{"source":{"imageUri":"s3://images/a.png"}},"features":[{"type":"TYPE_UNSPECIFIED"}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/x/"}}}""", "type");
    }

    void assertReason(String body, String reason) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(Rejection.Exception.class, e -> {
            assertThat(e.rejection().code()).isEqualTo(Rejection.INVALID_JOB);
            assertThat(e.rejection().reason()).contains(reason);
        });
    }
}
