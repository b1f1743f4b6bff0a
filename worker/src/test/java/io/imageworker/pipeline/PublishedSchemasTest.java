package io.imageworker.pipeline;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.SchemaAssembly;
import io.imageworker.tasks.TaskHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The published job and result schemas in {@code schemas/} are what the application's own tasks'
 * fragments ({@code task.schema.json} beside each task's classes) assemble to, and what the worker
 * assembles at start from the tasks it serves. Run with {@code -Dschemas.write=true} to rewrite them.
 */
class PublishedSchemasTest {

    static final String REGENERATE = "./mvnw -B -o test-compile surefire:test -pl worker -am -Dtest=PublishedSchemasTest -Dsurefire.failIfNoSpecifiedTests=false -Dschemas.write=true";

    /** Every task of the main classes (test tasks left out), instantiated as the worker would find them. */
    static List<TaskHandler> applicationTasks() throws Exception {
        List<TaskHandler> tasks = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.imageworker.tasks")) {
            if (c.isAssignableTo(TaskHandler.class) && !c.isInterface() && !c.getModifiers().contains(JavaModifier.ABSTRACT)) {
                tasks.add((TaskHandler) c.reflect().getDeclaredConstructor().newInstance());
            }
        }
        return tasks;
    }

    @Test
    void everyTaskHasItsOwnFragment() throws Exception {
        List<TaskHandler> tasks = applicationTasks();
        assertThat(tasks).hasSizeGreaterThanOrEqualTo(5);
        for (TaskHandler t : tasks) {
            JsonNode fragment = SchemaAssembly.fragmentOf(t.getClass());
            assertThat(fragment).as("%s beside %s", SchemaAssembly.FRAGMENT, t.getClass().getName()).isNotNull();
            assertThat(fragment.path("task").asText()).as("the fragment's task").isEqualTo(t.task());
            assertThat(fragment.path("makesItems").asBoolean(false)).as("%s: makesItems is the MakesItems role", t.task())
                    .isEqualTo(t instanceof io.imageworker.tasks.MakesItems);
        }
    }

    @Test
    void thePublishedSchemasAreWhatTheTasksAssembleTo() throws Exception {
        Map<EventSchemas.Contract, JsonNode> assembled = new Tasks(applicationTasks(), JobServiceTest.models()).schemas();
        boolean write = Boolean.getBoolean("schemas.write");
        for (EventSchemas.Contract c : List.of(EventSchemas.Contract.JOB, EventSchemas.Contract.RESULT)) {
            Path file = Repo.path("schemas", c.file);
            String expected = SchemaAssembly.write(assembled.get(c));
            if (write) {
                Files.writeString(file, expected);
            }
            assertThat(Files.readString(file)).as("%s differs from what the tasks' %s fragments assemble to; regenerate"
                    + " it with: %s", file, SchemaAssembly.FRAGMENT, REGENERATE).isEqualTo(expected);
        }
    }

    @Test
    void theChartOffersEveryTaskOfTheApplication() throws Exception {
        Set<String> names = new TreeSet<>();
        applicationTasks().forEach(t -> names.add(t.task()));
        JsonNode chart = new ObjectMapper().readTree(Repo.path("helm/image-worker/values.schema.json").toFile());
        List<JsonNode> lists = new ArrayList<>();
        taskLists(chart, lists);
        assertThat(lists).as("the chart's task lists (tasks, pools.*.tasks)").hasSize(2);
        for (JsonNode list : lists) {
            Set<String> offered = new TreeSet<>();
            list.forEach(n -> offered.add(n.asText()));
            assertThat(offered).as("a task enum of helm/image-worker/values.schema.json, kept by hand: add the new task")
                    .isEqualTo(names);
        }
    }

    /** Every {@code tasks} property's item enum under {@code node}. */
    private static void taskLists(JsonNode node, List<JsonNode> into) {
        node.fields().forEachRemaining(e -> {
            if (e.getKey().equals("tasks") && e.getValue().path("items").has("enum")) {
                into.add(e.getValue().path("items").path("enum"));
            }
            taskLists(e.getValue(), into);
        });
        if (node.isArray()) {
            node.forEach(n -> taskLists(n, into));
        }
    }

    @Test
    void theAssemblyRefusesAFieldTwoTasksDefine() {
        JsonNode a = json("{\"task\": \"a\", \"resultItem\": {\"x\": {\"type\": \"string\"}}}");
        JsonNode b = json("{\"task\": \"b\", \"resultItem\": {\"x\": {\"type\": \"integer\"}}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaAssembly.assemble(List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
        JsonNode base = json("{\"task\": \"c\", \"resultItem\": {\"status\": {}}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaAssembly.assemble(List.of(base)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'status'");
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
