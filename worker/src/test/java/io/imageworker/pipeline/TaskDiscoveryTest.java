package io.imageworker.pipeline;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.imageworker.events.EventSchemas;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Tasks are plugins: the worker serves exactly the {@link TaskHandler} beans under {@code tasks/}, found
 * on the compiled classes (test sources' too), and its job schema offers exactly those; the published
 * one offers the application's own.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class TaskDiscoveryTest {

    @Inject
    Tasks tasks;

    @Test
    void theServedTaskSetIsTheDiscoveredOne() throws Exception {
        Set<String> implemented = tasksIn(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
        assertThat(implemented).as("task packages").hasSizeGreaterThanOrEqualTo(5);
        // test sources may add tasks of their own, found as the application's are
        Set<String> testTasks = tasksIn(ImportOption.Predefined.ONLY_INCLUDE_TESTS);
        assertThat(testTasks).as("test-only tasks").doesNotContainAnyElementsOf(implemented);
        Set<String> all = new TreeSet<>(implemented);
        all.addAll(testTasks);
        assertThat(tasks.byName().keySet()).as("served by the worker").isEqualTo(all);

        JsonNode schema = EventLog.JSON.readTree(Repo.path("schemas/job.v1.schema.json").toFile());
        Set<String> offered = new TreeSet<>();
        schema.path("properties").path("task").path("enum").forEach(t -> offered.add(t.asText()));
        assertThat(offered).as("the published job schema's task enum: the application's own").isEqualTo(implemented);
        Set<String> accepted = new TreeSet<>();
        tasks.schemas().get(EventSchemas.Contract.JOB).path("properties").path("task").path("enum")
                .forEach(t -> accepted.add(t.asText()));
        assertThat(accepted).as("the worker's job schema's task enum").isEqualTo(all);
    }

    /** The names of the CDI task beans among the classes {@code option} imports. */
    private static Set<String> tasksIn(ImportOption option) throws Exception {
        Set<String> names = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(option).importPackages("io.imageworker.tasks")) {
            if (c.isAssignableTo(TaskHandler.class) && !c.isInterface() && !c.getModifiers().contains(JavaModifier.ABSTRACT)
                    && (c.isAnnotatedWith(Singleton.class) || c.isAnnotatedWith(ApplicationScoped.class))) {
                names.add(((TaskHandler) c.reflect().getDeclaredConstructor().newInstance()).task());
            }
        }
        return names;
    }

    @Test
    void everyTaskWithAModelHasADefaultThatServesIt() throws Exception {
        for (TaskHandler t : tasks.byName().values()) {
            if (t instanceof io.imageworker.tasks.ServesModels) {
                assertThat(tasks.defaultModel(t.task())).as(t.task()).isNotBlank();
                if (t instanceof io.imageworker.tasks.LoadsOnDemand) { // objects: loads on its first job
                    assertThat(tasks.preload()).as("loads on demand").doesNotContain(t.task());
                } else {
                    assertThat(tasks.preload()).as("preloaded by default").contains(t.task());
                }
            } else {
                assertThat(tasks.defaultModel(t.task())).as(t.task()).isNull();
            }
        }
    }
}
