package io.imageworker.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warm-up choice is reused under the same key only; anything else is measured afresh. */
class ChoiceStoreTest {

    @TempDir
    Path dir;

    static final DynamicBatcher.Choice CHOICE = new DynamicBatcher.Choice(4, 2, 123.5, Map.of("b1", 50.0, "b4", 123.5));

    @Test
    void aChoiceKeptUnderTheSameKeyIsFoundAndAnotherKeyMeasuresAgain() throws Exception {
        ChoiceStore store = new ChoiceStore(dir, "m:1", Map.of("sha256", "aa", "maxBatchSize", "64"));
        assertThat(store.find()).isEmpty();
        store.save(CHOICE);
        assertThat(new ChoiceStore(dir, "m:1", Map.of("sha256", "aa", "maxBatchSize", "64")).find()).contains(CHOICE);
        assertThat(new ChoiceStore(dir, "m:1", Map.of("sha256", "bb", "maxBatchSize", "64")).find())
                .as("another model file").isEmpty();
        assertThat(new ChoiceStore(dir, "m:1", Map.of("sha256", "aa", "maxBatchSize", "16")).find())
                .as("another bound").isEmpty();
        assertThat(new ChoiceStore(dir, "m:1", Map.of("sha256", "aa")).find()).as("a key with fewer parts").isEmpty();
        assertThat(store.key()).containsKeys("cpu", "cores", "ompNumThreads", "rule");
    }

    @Test
    void anUnreadableEntryIsMeasuredAgainAndReplaced() throws Exception {
        ChoiceStore store = new ChoiceStore(dir, "m:1", Map.of("sha256", "aa"));
        Files.writeString(store.file(), "{\"key\": 3, \"choi");
        assertThat(store.find()).isEmpty();
        store.save(CHOICE);
        assertThat(store.find()).contains(CHOICE);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(store.file());
        }
    }

    @Test
    void theHashFollowsTheFilesNamesAndContents() throws Exception {
        Path v = Files.createDirectories(dir.resolve("model/1"));
        Files.writeString(v.resolve("model.json"), "{}");
        Files.write(v.resolve("w.params"), new byte[] {1, 2, 3});
        String a = ChoiceStore.sha256(v);
        assertThat(ChoiceStore.sha256(v)).isEqualTo(a);
        Files.write(v.resolve("w.params"), new byte[] {1, 2, 4});
        assertThat(ChoiceStore.sha256(v)).isNotEqualTo(a);
    }

    @Test
    void aBatcherWithAKeptChoiceServesItWithoutTimingAndAFirstStartKeepsItsChoice() throws Exception {
        ChoiceStore store = new ChoiceStore(dir, "counted:1", Map.of("sha256", "cc"));
        AtomicInteger calls = new AtomicInteger();
        List<DynamicBatcher.Choice> tuned = Collections.synchronizedList(new ArrayList<>());
        BatchObserver observer = DynamicBatcherTest.choicesInto(tuned);
        BatchTuning tuning = new BatchTuning(true, 2, null, false, 0, store);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("counted", 8, Duration.ZERO,
                () -> counting(calls), observer, 1, tuning)) {
            b.warmed().get(30, TimeUnit.SECONDS);
        }
        int measuredCalls = calls.get();
        assertThat(store.find()).as("the first start keeps what it measured").contains(tuned.get(0));
        store.save(CHOICE); // batch 4, 2 threads
        calls.set(0);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("counted", 8, Duration.ZERO,
                () -> counting(calls), observer, 1, tuning)) {
            b.warmed().get(30, TimeUnit.SECONDS);
            assertThat(b.maxBatchSize()).isEqualTo(4);
            assertThat(b.threads()).isEqualTo(2);
            assertThat(b.submit(5, 0).get(5, TimeUnit.SECONDS)).isEqualTo(10);
        }
        assertThat(calls.get()).as("a restart runs batch sizes 1 to 4 once each, then the job's batch; the measuring start ran "
                + measuredCalls).isLessThanOrEqualTo(5).isLessThan(measuredCalls);
        assertThat(tuned.get(tuned.size() - 1)).isEqualTo(CHOICE);
    }

    static BatchRunner<Integer, Integer> counting(AtomicInteger calls) {
        return new BatchRunner<>() {
            @Override
            public List<Integer> run(List<Integer> inputs) throws Exception {
                calls.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(1);
                return inputs.stream().map(i -> 2 * i).toList();
            }

            @Override
            public void close() {}
        };
    }
}
