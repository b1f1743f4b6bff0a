package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import com.google.cloud.vision.v1.Feature;
import io.imageworker.job.Rejection;
import io.imageworker.testing.VisionClientBodies;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Cloud Vision {@code files:asyncBatchAnnotate} bodies read as annotate jobs, or refused with their reason. */
class VisionFilesRequestTest {

    final JobParser parser = new JobParser(new EventSchemas(), 8192);

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    JobRequest parse(String body) throws Rejection.Exception {
        return parser.parse(bytes(body), bytes("files-1"));
    }

    Rejection refused(String body) {
        try {
            parse(body);
        } catch (Rejection.Exception e) {
            return e.rejection();
        }
        throw new AssertionError("not refused: " + body);
    }

    @Test
    void eachRequestIsADocumentInputWithItsOwnFeaturesTypeAndOutput() throws Exception {
        JobRequest job = parse("""
                {"requests":[
                  {"inputConfig":{"gcsSource":{"uri":"s3://images/a.pdf"},"mimeType":"application/pdf"},
                   "features":[{"type":"DOCUMENT_TEXT_DETECTION"}],
                   "outputConfig":{"gcsDestination":{"uri":"s3://results/a/"},"batchSize":2}},
                  {"inputConfig":{"gcsSource":{"uri":"s3://images/b.tif"},"mimeType":"image/tiff"},
                   "features":[{"type":"TEXT_DETECTION"},{"type":"IMAGE_PROPERTIES","maxResults":3}],
                   "imageContext":{"languageHints":["en"]},
                   "outputConfig":{"gcsDestination":{"uri":"s3://results/b/"}}}],
                 "labels":{"team":"t"}}""");
        assertThat(job.jobId()).isEqualTo("files-1");
        assertThat(job.task()).isEqualTo(JobRequest.ANNOTATE);
        assertThat(job.visionOutput()).isNull();
        assertThat(job.metadata()).containsEntry("team", "t");
        assertThat(job.inputs()).containsExactly(
                new JobRequest.Input("s3://images/a.pdf", null, java.util.List.of(new JobRequest.Feature("DOCUMENT_TEXT_DETECTION", 0, null)),
                        new JobRequest.VisionFile("application/pdf", new JobRequest.VisionOutput("s3://results/a/", 2))),
                new JobRequest.Input("s3://images/b.tif", null, java.util.List.of(new JobRequest.Feature("TEXT_DETECTION", 0, null),
                        new JobRequest.Feature("IMAGE_PROPERTIES", 3, null)),
                        new JobRequest.VisionFile("image/tiff", new JobRequest.VisionOutput("s3://results/b/",
                                VisionRequests.BATCH_SIZE))));
    }

    /** As Google's client libraries print it: proto names, enums by number, zeros for unset fields. */
    @Test
    void protoNamesNumbersAndDefaultsAreReadAsTheVisionApiReadsThem() throws Exception {
        JobRequest job = parse("""
                {"requests":[{"input_config":{"gcs_source":{"uri":"s3://images/a.gif"},"mime_type":"image/gif","content":""},
                  "features":[{"type":11,"max_results":0,"model":""}],
                  "output_config":{"gcs_destination":{"uri":"s3://results/a/"},"batch_size":"0"}}],"parent":""}""");
        JobRequest.Input in = job.inputs().get(0);
        assertThat(in.features()).containsExactly(new JobRequest.Feature("DOCUMENT_TEXT_DETECTION", 0, null));
        assertThat(in.file()).isEqualTo(new JobRequest.VisionFile("image/gif", new JobRequest.VisionOutput("s3://results/a/", 20)));
    }

    /** Bodies printed by protobuf's JsonFormat from Cloud Vision's own classes, in each of its spellings. */
    @Test
    void bodiesPrintedByCloudVisionsClientLibrariesAreReadAlike() throws Exception {
        for (VisionClientBodies.Spelling spelling : VisionClientBodies.Spelling.values()) {
            String body = VisionClientBodies.filesAsyncBatchAnnotate(spelling, java.util.List.of(
                    new String[] {"s3://images/a.pdf", "application/pdf"}, new String[] {"s3://images/b.tif", "image/tiff"}),
                    java.util.List.of(Feature.Type.DOCUMENT_TEXT_DETECTION, Feature.Type.IMAGE_PROPERTIES), "s3://results/x/");
            JobRequest job = parse(body);
            assertThat(job.inputs()).as("%s: %s", spelling, body).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JobRequest.Input in = job.inputs().get(i);
                assertThat(in.uri()).isEqualTo(i == 0 ? "s3://images/a.pdf" : "s3://images/b.tif");
                assertThat(in.features()).as(body).containsExactly(new JobRequest.Feature("DOCUMENT_TEXT_DETECTION", 0, null),
                        new JobRequest.Feature("IMAGE_PROPERTIES", 0, null));
                assertThat(in.file()).as(body).isEqualTo(new JobRequest.VisionFile(i == 0 ? "application/pdf" : "image/tiff",
                        new JobRequest.VisionOutput("s3://results/x/" + i + "/", VisionRequests.BATCH_SIZE)));
            }
        }
    }

    /** An unknown or missing mimeType is the input's own failure (the job's other documents stand), not the job's. */
    @Test
    void aTypeCloudVisionDoesNotReadIsLeftForTheItem() throws Exception {
        JobRequest job = parse("""
                {"requests":[{"inputConfig":{"gcsSource":{"uri":"s3://images/a.png"},"mimeType":"image/png"},
                  "features":[{"type":"TEXT_DETECTION"}],"outputConfig":{"gcsDestination":{"uri":"s3://results/a/"}}},
                 {"inputConfig":{"gcsSource":{"uri":"s3://images/b.pdf"}},
                  "features":[{"type":"TEXT_DETECTION"}],"outputConfig":{"gcsDestination":{"uri":"s3://results/b/"}}}]}""");
        assertThat(job.inputs().get(0).file().mimeType()).isEqualTo("image/png");
        assertThat(job.inputs().get(1).file().mimeType()).isNull();
    }

    @Test
    void gsLocationsInlineBytesAndPagesAreRefusedByName() {
        Rejection gs = refused("""
                {"requests":[{"inputConfig":{"gcsSource":{"uri":"gs://bucket/a.pdf"},"mimeType":"application/pdf"},
                  "features":[{"type":"TEXT_DETECTION"}],"outputConfig":{"gcsDestination":{"uri":"s3://results/a/"}}}]}""");
        assertThat(gs.code()).isEqualTo(Rejection.INVALID_JOB);
        assertThat(gs.jobId()).isEqualTo("files-1");
        assertThat(gs.reason()).contains("requests/0/inputConfig/gcsSource/uri").contains(VisionRequests.GS_REFUSED);
        Rejection gsOut = refused("""
                {"requests":[{"inputConfig":{"gcsSource":{"uri":"s3://images/a.pdf"},"mimeType":"application/pdf"},
                  "features":[{"type":"TEXT_DETECTION"}],"outputConfig":{"gcsDestination":{"uri":"gs://out/a/"}}}]}""");
        assertThat(gsOut.reason()).contains("requests/0/outputConfig/gcsDestination/uri").contains(VisionRequests.GS_REFUSED);
        Rejection content = refused("""
                {"requests":[{"inputConfig":{"content":"JVBERi0=","mimeType":"application/pdf"},
                  "features":[{"type":"TEXT_DETECTION"}],"outputConfig":{"gcsDestination":{"uri":"s3://results/a/"}}}]}""");
        assertThat(content.reason()).contains("requests/0/inputConfig/content").contains("gcsSource.uri");
        // pages is files:annotate's (synchronous); Cloud Vision's async request has no such field
        Rejection pages = refused("""
                {"requests":[{"inputConfig":{"gcsSource":{"uri":"s3://images/a.pdf"},"mimeType":"application/pdf"},
                  "features":[{"type":"TEXT_DETECTION"}],"pages":[1,2],
                  "outputConfig":{"gcsDestination":{"uri":"s3://results/a/"}}}]}""");
        assertThat(pages.reason()).contains("requests/0/pages").contains("every page");
    }

    @Test
    void eachRequestNeedsItsOwnOutputConfigAndABodyOutputConfigIsNotOne() {
        Rejection r = refused("""
                {"requests":[{"inputConfig":{"gcsSource":{"uri":"s3://images/a.pdf"},"mimeType":"application/pdf"},
                  "features":[{"type":"TEXT_DETECTION"}]}],
                 "outputConfig":{"gcsDestination":{"uri":"s3://results/a/"}}}""");
        assertThat(r.code()).isEqualTo(Rejection.INVALID_JOB);
        assertThat(r.reason()).contains("files:asyncBatchAnnotate").contains("vision-files-async-batch-annotate.v1.schema.json")
                .contains("outputConfig");
    }

    @Test
    void aFeatureAskedTwiceInOneRequestIsRefused() {
        Rejection r = refused("""
                {"requests":[{"inputConfig":{"gcsSource":{"uri":"s3://images/a.pdf"},"mimeType":"application/pdf"},
                  "features":[{"type":"TEXT_DETECTION"},{"type":5}],
                  "outputConfig":{"gcsDestination":{"uri":"s3://results/a/"}}}]}""");
        assertThat(r.reason()).contains("requests/0/features asks for TEXT_DETECTION twice");
    }
}
