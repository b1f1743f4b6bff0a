package io.imageworker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.pipeline.Worker;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the {@code @QuarkusTest}s that drive the in-process worker through the shared
 * {@link LocalStack}: an {@link EventLog} of the output topics, an object store client, and the
 * worker started before each test.
 */
public abstract class WorkerTest {

    protected static final EventSchemas SCHEMAS = new EventSchemas();
    protected static EventLog events;
    protected static ObjectStore store;

    @Inject
    protected Worker worker;

    @BeforeAll
    static void connect() {
        LocalStack stack = LocalStack.shared();
        events = new EventLog(stack.bootstrap(), List.of("image-results", "image-jobs-dlq", "image-progress"));
        store = stack.objectStore();
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    @BeforeEach
    void startWorker() throws Exception {
        worker.start();
    }

    /** Puts {@code body} in the input bucket at {@code key}; returns its s3:// URI. */
    protected static String upload(String key, byte[] body) throws Exception {
        S3Location loc = new S3Location(LocalStack.INPUT_BUCKET, key);
        store.write(loc, body, "application/octet-stream");
        return loc.toString();
    }

    protected static void assertValid(EventSchemas.Contract contract, JsonNode event) {
        assertThat(SCHEMAS.violations(contract, event)).as("%s violations of %s", contract, event).isEmpty();
    }
}
