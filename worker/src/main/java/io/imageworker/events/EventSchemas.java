package io.imageworker.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of {@code schemas/} (shipped in the jar under {@code /schemas/}): intake validates
 * every job against them and the tests validate every event the worker emits.
 */
public final class EventSchemas {

    /** The contracts, by file. */
    public enum Contract {
        JOB("job.v1.schema.json"),
        RESULT("result.v1.schema.json"),
        PROGRESS("progress.v1.schema.json"),
        DEAD_LETTER("dead-letter.v1.schema.json"),
        /** What the worker reads of an S3 event notification (not its own format: AWS S3's and MinIO's). */
        NOTIFICATION("s3-notification.v1.schema.json"),
        /** Cloud Vision's {@code images:asyncBatchAnnotate} request body, taken as a job. */
        VISION_ASYNC_BATCH("vision-async-batch-annotate.v1.schema.json"),
        /** Cloud Vision's {@code files:asyncBatchAnnotate} request body (documents), taken as a job. */
        VISION_FILES_ASYNC_BATCH("vision-files-async-batch-annotate.v1.schema.json");

        /** File name of the contract's schema, under {@code /schemas/} on the classpath. */
        public final String file;

        Contract(String file) {
            this.file = file;
        }
    }

    public static final String RESULT_ID = "https://image-worker.io/schemas/result/v1.json";
    public static final String PROGRESS_ID = "https://image-worker.io/schemas/progress/v1.json";
    public static final String DEAD_LETTER_ID = "https://image-worker.io/schemas/dead-letter/v1.json";

    private static final int MAX_MESSAGES = 5;

    private final Map<Contract, Schema> schemas = new EnumMap<>(Contract.class);

    /**
     * Loads and compiles every contract's schema (JSON Schema draft 2020-12) from the classpath;
     * build one and share it.
     *
     * @throws IllegalStateException when a schema file is not on the classpath
     * @throws java.io.UncheckedIOException when one cannot be read
     */
    public EventSchemas() {
        this(Map.of());
    }

    /**
     * As {@link #EventSchemas()}, with the contracts of {@code assembled} compiled from the given
     * schemas instead of the files (the worker's job and result schemas, assembled from the tasks it
     * finds: {@link SchemaAssembly}).
     *
     * @throws IllegalStateException when a schema file is not on the classpath
     * @throws java.io.UncheckedIOException when one cannot be read
     */
    public EventSchemas(Map<Contract, JsonNode> assembled) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (Contract c : Contract.values()) {
            if (assembled.containsKey(c)) {
                schemas.put(c, registry.getSchema(assembled.get(c)));
                continue;
            }
            try (InputStream in = EventSchemas.class.getResourceAsStream("/schemas/" + c.file)) {
                if (in == null) {
                    throw new IllegalStateException("schema /schemas/" + c.file + " is not on the classpath");
                }
                schemas.put(c, registry.getSchema(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Violations of {@code contract} by {@code event}, at most a few, each naming where; empty when valid. */
    public List<String> violations(Contract contract, JsonNode event) {
        List<Error> errors = schemas.get(contract).validate(event);
        List<String> out = new ArrayList<>();
        for (Error e : errors) {
            if (out.size() == MAX_MESSAGES) {
                out.add("... and " + (errors.size() - MAX_MESSAGES) + " more");
                break;
            }
            out.add(e.toString());
        }
        return out;
    }
}
