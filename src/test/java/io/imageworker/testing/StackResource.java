package io.imageworker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/** Points a {@code @QuarkusTest} application at the shared {@link LocalStack}. */
public class StackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(LocalStack.shared().config());
        // Tests observe batching through metrics: a short delay keeps them quick but lets concurrent items meet.
        config.put("image-worker.batching.max-queue-delay", "20ms");
        // Lets IntakeFaultsTest name an intake step to fail in a header; other tests never send it.
        config.put("image-worker.faults.intake", "true");
        // Users' own models: a repository prefix in the object store, searched before the built-in ones
        // (ByoOnnxJobTest drops ONNX models there; other tests find nothing and fall through).
        config.put("image-worker.models.repository", "s3://results/byo-models/,classpath");
        // New versions are taken up when a test asks (POST /admin/models/refresh, ModelUpdateJobTest), never behind
        // another test's back; polling itself is tested in inference.ModelUpdateTest.
        config.put("image-worker.models.poll-interval", "0");
        return config;
    }

    @Override
    public void stop() {
        // the stack lives for the whole test JVM
    }
}
