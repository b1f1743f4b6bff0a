package io.imageworker.tasks.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void bestFirstTiesByIndexAndNeverMoreThanThereAre() {
        assertThat(TopK.of(new float[] {0.1f, 0.5f, 0.1f, 0.3f}, 3)).containsExactly(new TopK.Entry(1, 0.5f),
                new TopK.Entry(3, 0.3f), new TopK.Entry(0, 0.1f));
        assertThat(TopK.of(new float[] {1f}, 5)).hasSize(1);
    }
}
