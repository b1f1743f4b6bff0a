package io.imageworker.tasks.objects;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How an objects item reads in {@code report.html}. */
final class ObjectReport {

    private ObjectReport() {}

    /** A table of the objects: name, score and box (input pixels). */
    static ReportSection section() {
        return ReportSection.of(Set.of("objects", "objectCount"), item -> {
            List<List<String>> rows = new ArrayList<>();
            int i = 1;
            for (JsonNode o : item.path("objects")) {
                JsonNode b = o.path("box");
                rows.add(List.of(Integer.toString(i++), Html.esc(o.path("name").asText()), Html.score(o.path("score")),
                        px(b.path("x")) + ", " + px(b.path("y")) + " &nbsp;" + px(b.path("width")) + "&times;"
                                + px(b.path("height"))));
            }
            return "<p>" + item.path("objectCount").asInt() + " object(s)</p>"
                    + Html.table(List.of("object", "name", "score", "box x, y  w×h"), rows);
        });
    }

    private static String px(JsonNode v) {
        return Long.toString(Math.round(v.asDouble()));
    }
}
