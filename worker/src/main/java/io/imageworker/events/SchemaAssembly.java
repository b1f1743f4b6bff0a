package io.imageworker.events;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles the task-specific contracts ({@link EventSchemas.Contract#JOB}, {@link EventSchemas.Contract#RESULT})
 * from a task-neutral base and one fragment per task ({@value #FRAGMENT} in the task's own package).
 * A fragment is {@code {"task": name, "jobOptions": schema of options, "resultItem": {field: schema},
 * "makesItems": true when a job of the task takes no inputs}}; every key but {@code task} is optional.
 * The job schema gets the task enum and one {@code if task = name then options} clause per task; the
 * result schema's item gets each task's fields. The files in {@code schemas/} are these, assembled
 * from the application's own tasks ({@code PublishedSchemasTest} holds them equal); the worker
 * assembles its own at start from the tasks it finds, so a task is one package.
 */
public final class SchemaAssembly {

    /** The fragment's file name, beside the task's classes. */
    public static final String FRAGMENT = "task.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaAssembly() {}

    /**
     * The assembled job and result schemas for the tasks of {@code fragments}, in task-name order.
     *
     * @throws IllegalArgumentException for a fragment without a task name, two of one task, or two
     *     tasks (or a task and the base) that define the same result field
     */
    public static Map<EventSchemas.Contract, JsonNode> assemble(List<JsonNode> fragments) {
        List<JsonNode> sorted = fragments.stream().sorted(Comparator.comparing(f -> f.path("task").asText())).toList();
        ObjectNode job = base("job");
        ObjectNode result = base("result");
        ArrayNode taskEnum = ((ObjectNode) job.path("properties").path("task")).putArray("enum");
        ArrayNode allOf = (ArrayNode) job.path("allOf");
        ArrayNode ownItems = JSON.createArrayNode();
        ObjectNode itemFields = (ObjectNode) result.path("$defs").path("item").path("properties");
        String previous = null;
        for (JsonNode f : sorted) {
            String task = f.path("task").asText();
            if (task.isEmpty() || task.equals(previous)) {
                throw new IllegalArgumentException(task.isEmpty() ? "a task schema fragment names no task: " + f
                        : "two task schema fragments of task '" + task + "'");
            }
            previous = task;
            taskEnum.add(task);
            if (f.path("makesItems").asBoolean(false)) {
                ownItems.add(task);
            }
            f.path("resultItem").fields().forEachRemaining(e -> {
                if (itemFields.has(e.getKey())) {
                    throw new IllegalArgumentException("task '" + task + "' defines result item field '" + e.getKey()
                            + "', which the result schema or another task defines already");
                }
                itemFields.set(e.getKey(), e.getValue().deepCopy());
            });
        }
        // A job needs inputs or an input prefix, unless its task makes its own items.
        ObjectNode inputs = allOf.addObject();
        ObjectNode notOwn = inputs.putObject("if").putObject("properties").putObject("task").putObject("not");
        if (ownItems.size() == 1) {
            notOwn.set("const", ownItems.get(0));
        } else {
            notOwn.set("enum", ownItems);
        }
        ArrayNode oneOf = inputs.putObject("then").putArray("oneOf");
        oneOf.addObject().putArray("required").add("inputs");
        oneOf.addObject().putArray("required").add("inputPrefix");
        for (JsonNode f : sorted) {
            if (f.has("jobOptions")) {
                ObjectNode clause = allOf.addObject();
                clause.putObject("if").putObject("properties").putObject("task").put("const", f.path("task").asText());
                clause.putObject("then").putObject("properties").set("options", f.path("jobOptions").deepCopy());
            }
        }
        Map<EventSchemas.Contract, JsonNode> out = new EnumMap<>(EventSchemas.Contract.class);
        out.put(EventSchemas.Contract.JOB, job);
        out.put(EventSchemas.Contract.RESULT, result);
        return out;
    }

    /**
     * Reads the fragment in {@code taskClass}'s package, or null when it has none.
     *
     * @throws UncheckedIOException when it cannot be read or parsed
     */
    public static JsonNode fragmentOf(Class<?> taskClass) {
        try (InputStream in = taskClass.getResourceAsStream(FRAGMENT)) {
            return in == null ? null : JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("task schema fragment of " + taskClass.getName(), e);
        }
    }

    /** {@code schema} as the files in {@code schemas/} are written: two-space indent, one value a line, a final newline. */
    public static String write(JsonNode schema) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        try {
            return JSON.writer(printer).writeValueAsString(schema) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode base(String name) {
        String path = name + ".v1.base.json";
        try (InputStream in = SchemaAssembly.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema base " + path + " is not on the classpath");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
