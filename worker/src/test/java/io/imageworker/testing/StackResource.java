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
        // S3 event notifications (NotificationJobTest): uploads/ become classify jobs written under
        // s3://results/uploads/, the more specific uploads/scans/ become properties jobs.
        config.put("image-worker.notifications.topic", LocalStack.NOTIFICATIONS_TOPIC);
        config.put("image-worker.storage.allowed-output-prefixes", "s3://results/uploads/");
        config.put("image-worker.notifications.rules.uploads.bucket", LocalStack.INPUT_BUCKET);
        config.put("image-worker.notifications.rules.uploads.prefix", "uploads/");
        config.put("image-worker.notifications.rules.uploads.task", "classify");
        config.put("image-worker.notifications.rules.uploads.options", "{\"topK\":2}");
        config.put("image-worker.notifications.rules.uploads.output", "s3://results/uploads/");
        config.put("image-worker.notifications.rules.scans.bucket", LocalStack.INPUT_BUCKET);
        config.put("image-worker.notifications.rules.scans.prefix", "uploads/scans/");
        config.put("image-worker.notifications.rules.scans.task", "properties");
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
