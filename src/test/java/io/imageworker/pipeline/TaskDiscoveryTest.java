package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Tasks are plugins: the worker serves exactly the {@link TaskHandler} implementations under
 * {@code tasks/}, found on the compiled classes, and the job schema offers exactly those.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class TaskDiscoveryTest {

    @Inject
    Tasks tasks;

    @Test
    void theServedTaskSetIsTheDiscoveredOne() throws Exception {
        Set<String> implemented = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.imageworker.tasks")) {
            if (c.isAssignableTo(TaskHandler.class) && !c.isInterface() && !c.getModifiers().contains(JavaModifier.ABSTRACT)) {
                implemented.add(((TaskHandler) c.reflect().getDeclaredConstructor().newInstance()).task());
            }
        }
        assertThat(implemented).as("task packages").hasSizeGreaterThanOrEqualTo(5);
        assertThat(tasks.byName().keySet()).as("served by the worker").isEqualTo(implemented);

        JsonNode schema = EventLog.JSON.readTree(Path.of("schemas/job.v1.schema.json").toFile());
        Set<String> offered = new TreeSet<>();
        schema.path("properties").path("task").path("enum").forEach(t -> offered.add(t.asText()));
        assertThat(offered).as("the job schema's task enum").isEqualTo(implemented);
    }

    @Test
    void everyTaskWithAModelHasADefaultThatServesIt() throws Exception {
        for (TaskHandler t : tasks.byName().values()) {
            if (t instanceof io.imageworker.tasks.ServesModels) {
                assertThat(tasks.defaultModel(t.task())).as(t.task()).isNotBlank();
                assertThat(tasks.preload()).as("preloaded by default").contains(t.task());
            } else {
                assertThat(tasks.defaultModel(t.task())).as(t.task()).isNull();
            }
        }
    }
}
