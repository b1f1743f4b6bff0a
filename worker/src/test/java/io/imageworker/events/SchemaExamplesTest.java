package io.imageworker.events;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples in schemas/examples/ are valid against their schema; those in invalid/ are not. */
class SchemaExamplesTest {

    static final EventSchemas SCHEMAS = new EventSchemas();
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> valid() throws IOException {
        return files(Repo.path("schemas/examples"));
    }

    static Stream<Path> invalid() throws IOException {
        return files(Repo.path("schemas/examples/invalid"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void exampleIsValid(Path file) throws IOException {
        assertThat(SCHEMAS.violations(contract(file), JSON.readTree(file.toFile()))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidExampleIsRefused(Path file) throws IOException {
        JsonNode node = JSON.readTree(file.toFile());
        assertThat(SCHEMAS.violations(contract(file), node)).isNotEmpty();
    }

    static EventSchemas.Contract contract(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith("job-")) {
            return EventSchemas.Contract.JOB;
        }
        if (name.startsWith("result-")) {
            return EventSchemas.Contract.RESULT;
        }
        if (name.startsWith("progress")) {
            return EventSchemas.Contract.PROGRESS;
        }
        if (name.startsWith("s3-notification")) {
            return EventSchemas.Contract.NOTIFICATION;
        }
        if (name.startsWith("vision-files-")) {
            return EventSchemas.Contract.VISION_FILES_ASYNC_BATCH;
        }
        if (name.startsWith("vision-")) {
            return EventSchemas.Contract.VISION_ASYNC_BATCH;
        }
        if (name.startsWith("dead-letter")) {
            return EventSchemas.Contract.DEAD_LETTER;
        }
        throw new IllegalArgumentException("example " + file + " does not say which contract it follows");
    }

    private static Stream<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> list = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(list).isNotEmpty();
            return list.stream();
        }
    }
}
