package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default most callers per ONNX model leaves a core for the rest of an item's work. */
class InferenceThreadsDefaultTest {

    @Test
    void aCoreIsLeftForFetchingDecodingAndDrawing() {
        assertThat(Worker.defaultInferenceThreads(1)).isEqualTo(1);
        assertThat(Worker.defaultInferenceThreads(2)).isEqualTo(1);
        assertThat(Worker.defaultInferenceThreads(3)).isEqualTo(2);
        assertThat(Worker.defaultInferenceThreads(16)).isEqualTo(4);
    }
}
