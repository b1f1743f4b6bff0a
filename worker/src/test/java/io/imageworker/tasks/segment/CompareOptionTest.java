package io.imageworker.tasks.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.job.Rejection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Option {@code compare} as written: a short list of distinct model references, or absent. */
class CompareOptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode options(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void absentMeansNoOtherModel() throws Exception {
        assertThat(SegmentTask.compare(options("{\"overlayOpacity\":0.3}"), "j")).isEmpty();
    }

    @Test
    void theModelsComeInTheJobsOrder() throws Exception {
        assertThat(SegmentTask.compare(options("{\"compare\":[\"mnist-seg-fcn:1\",\"mnist-seg-deconvnet\"]}"), "j"))
                .containsExactly("mnist-seg-fcn:1", "mnist-seg-deconvnet");
    }

    @Test
    void fourIsTheMost() throws Exception {
        assertThat(SegmentTask.compare(options("{\"compare\":[\"a\",\"b\",\"c\",\"d\"]}"), "j")).hasSize(SegmentTask.MAX_COMPARE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"compare\":\"mnist-seg-fcn\"}                   | must be a list of 1 to 4",
        "{\"compare\":[]}                                  | must be a list of 1 to 4",
        "{\"compare\":null}                                | must be a list of 1 to 4",
        "{\"compare\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}     | must be a list of 1 to 4",
        "{\"compare\":[\"mnist-seg-fcn\",\"mnist-seg-fcn\"]} | names \"mnist-seg-fcn\" twice",
        "{\"compare\":[3]}                                 | 3 is not a model reference",
        "{\"compare\":[\"s3://bucket/model\"]}             | is not a model reference",
        "{\"compare\":[\"a:b:c\"]}                         | is not a model reference",
    })
    void aMalformedListIsAnInvalidJob(String options, String reason) throws Exception {
        assertThatThrownBy(() -> SegmentTask.compare(options(options), "job-7"))
                .isInstanceOfSatisfying(Rejection.Exception.class, e -> {
                    assertThat(e.rejection().code()).isEqualTo(Rejection.INVALID_JOB);
                    assertThat(e.rejection().jobId()).isEqualTo("job-7");
                    assertThat(e.rejection().reason()).startsWith("options.compare").contains(reason);
                });
    }
}
