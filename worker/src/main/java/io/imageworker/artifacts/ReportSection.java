package io.imageworker.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.Function;

/**
 * A task's part of one item's card in {@code report.html}: its own fields as readable HTML (a table
 * of labels and scores, of boxes, a colour legend), instead of the generic listing. Made by the task
 * for a job (it may need the model's labels) and handed to {@link ReportWriter#render}.
 */
public interface ReportSection {

    /** Renders nothing: every task-specific field falls to the generic listing. */
    ReportSection NONE = of(Set.of(), item -> "");

    /** A section showing {@code fields} with {@code html}, which runs only for items that have one of them. */
    static ReportSection of(Set<String> fields, Function<JsonNode, String> html) {
        return of(fields, html, Function.identity());
    }

    /**
     * A section showing {@code fields} with {@code html}, which runs only for items that have one of
     * them, and captioning the item's pictures with {@code captions} (see {@link #caption}).
     */
    static ReportSection of(Set<String> fields, Function<JsonNode, String> html, Function<String, String> captions) {
        return new ReportSection() {
            @Override
            public Set<String> fields() {
                return fields;
            }

            @Override
            public String html(JsonNode item) {
                return fields.stream().anyMatch(item::has) ? html.apply(item) : "";
            }

            @Override
            public String caption(String artifact) {
                return captions.apply(artifact);
            }
        };
    }

    /** The item fields this section shows; the report leaves them out of its generic listing. */
    Set<String> fields();

    /**
     * HTML for {@code item} (a result item as JSON), every text escaped with {@link Html#esc}; empty
     * when the item has none of {@link #fields()}.
     */
    String html(JsonNode item);

    /**
     * The caption under the picture of the item's artifact named {@code artifact} (segment's
     * compared overlays read as their model's id), or null to leave the picture out. Default: its name.
     */
    default String caption(String artifact) {
        return artifact;
    }
}
