package io.imageworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerTopics;
import io.imageworker.testing.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Native memory under load: every NDManager, Batch and Predictor the worker opens must be closed,
 * or its memory outside the Java heap grows with the images served. Runs the packaged worker as a
 * process and reads its RSS less its committed heap.
 */
class NativeMemoryIT {

    @Test
    void memoryOutsideTheHeapStaysFlatUnderLoad() throws Exception {
        LocalStack stack = LocalStack.shared();
        ObjectStore store = stack.objectStore();
        WorkerTopics workerTopics = WorkerTopics.create(stack, "mem", 3);
        String t = workerTopics.jobs();
        List<String> topics = List.of(workerTopics.jobs(), workerTopics.results(), workerTopics.deadLetter(),
                workerTopics.progress());
        List<String> digits = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            S3Location loc = new S3Location("images", "mem/" + i + ".png");
            store.write(loc, Digits.png(i), "image/png");
            digits.add(loc.toString());
        }
        Map<String, String> env = new HashMap<>(workerTopics.env(Map.of()));
        // Heap pages count as resident from the start: otherwise pages of the committed heap touched for the
        // first time under load land in RSS and read as native growth (RSS less the JVM's own accounting).
        // And the heap keeps one size: when G1 grew it between reading RSS and reading the committed pools,
        // the new regions read as native (one run: 323 -> 371 MiB at 1,044 MiB RSS, where runs with the heap
        // unchanged read +2% to +4.5%); the live heap stays under ~100 MiB under this load (bench, jcmd GC.run).
        env.put("JAVA_TOOL_OPTIONS", Profile.PRE_TOUCH + " -Xms768m -Xmx768m");
        try (WorkerProcess w = WorkerProcess.start(stack, t, env);
                JobDriver d = new JobDriver(Map.of("bootstrap.servers", stack.bootstrap()), topics.get(0), topics.get(1))) {
            // Warm-up: allocator arenas settle over the first ~20k images (measured: 420, 435, 440, 447,
            // 447 MiB outside the heap after 6k, 31k, 55k, 80k, 104k images). The JIT's code cache keeps
            // growing for longer on a busy machine, so it is counted with the JVM's pools, not as native.
            serve(d, digits, 72); // 18,432 images
            long before = w.rssBytes() - Profile.jvmCommitted(w.get("/q/metrics"));
            List<Long> outside = new ArrayList<>(List.of(before));
            for (int round = 0; round < Math.max(3, Integer.getInteger("memory.rounds", 3)); round++) {
                serve(d, digits, 96); // 24,576 images
                outside.add(w.rssBytes() - Profile.jvmCommitted(w.get("/q/metrics")));
                System.out.printf("MEMORY round %d: rss %d MiB, native (outside the JVM's pools and buffers) %s MiB%n", round,
                        w.rssBytes() >> 20, outside.stream().map(v -> String.valueOf(v >> 20)).toList());
            }
            // A leak (an NDManager, Batch or Predictor left open per image or batch) grows by the same amount in
            // every round: one input tensor per image is 3 KiB, 72 MiB a round. The allocators' settling and the
            // machine's noise do not: one full verify read 482 -> 518 MiB over the first round after the warm-up
            // (+7.6%) where runs alone read 320 -> 320 -> 321, and one CI run read 212 -> 214 -> 225 MiB (+5.4%
            // in its last round alone). So the first round settles and the bound holds on the smaller growth of
            // the two rounds after it: a leak shows in both, noise in one.
            double growth = Double.MAX_VALUE;
            for (int i = outside.size() - 2; i < outside.size(); i++) {
                growth = Math.min(growth, (outside.get(i) - outside.get(i - 1)) / (double) before);
            }
            assertThat(growth).as("smaller growth of native memory (outside the JVM pools) in the last two rounds of 24,576 images,"
                    + " of %d MiB (%s MiB by round)", before >> 20, outside.stream().map(v -> String.valueOf(v >> 20)).toList())
                    .isLessThan(0.05);
        }
    }

    private static void serve(JobDriver d, List<String> digits, int jobs) throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int j = 0; j < jobs; j++) {
            String id = JobDriver.jobId("mem");
            StringBuilder e = new StringBuilder("{\"jobId\":\"" + id + "\",\"task\":\"classify\",\"options\":{\"topK\":1},\"inputs\":[");
            for (int i = 0; i < digits.size(); i++) {
                e.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(digits.get(i)).append("\"}");
            }
            d.send(id, e.append("]}").toString());
            ids.add(id);
        }
        d.flush();
        d.await(ids, jobs * digits.size(), t0, Duration.ofMinutes(10));
    }
}
