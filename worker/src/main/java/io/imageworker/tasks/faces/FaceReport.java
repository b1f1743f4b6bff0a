package io.imageworker.tasks.faces;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How a faces item reads in {@code report.html}. */
final class FaceReport {

    private FaceReport() {}

    /** A table of the faces: score, box, keypoints (input pixels) and the likelier expressions. */
    static ReportSection section() {
        return ReportSection.of(Set.of("faces", "faceCount"), item -> {
            List<List<String>> rows = new ArrayList<>();
            int i = 1;
            for (JsonNode f : item.path("faces")) {
                JsonNode b = f.path("box");
                rows.add(List.of(Integer.toString(i++), Html.score(f.path("score")),
                        px(b.path("x")) + ", " + px(b.path("y")) + " &nbsp;" + px(b.path("width")) + "&times;" + px(b.path("height")),
                        keypoints(f.path("keypoints")), likelihoods(f)));
            }
            return "<p>" + item.path("faceCount").asInt() + " face(s)</p>"
                    + Html.table(List.of("face", "score", "box x, y  w×h", "keypoints x, y", "expression"), rows);
        });
    }

    /** The likelihoods above VERY_UNLIKELY ({@code joy LIKELY}); empty without attributes. */
    private static String likelihoods(JsonNode face) {
        StringBuilder s = new StringBuilder();
        FaceAttributes.LIKELIHOODS.keySet().forEach(field -> {
            String v = face.path(field).asText("");
            if (!v.isEmpty() && !"VERY_UNLIKELY".equals(v)) {
                s.append(s.length() > 0 ? "<br>" : "").append(field.replace("Likelihood", "")).append(' ').append(Html.esc(v));
            }
        });
        return s.toString();
    }

    private static String px(JsonNode v) {
        return Long.toString(Math.round(v.asDouble()));
    }

    private static String keypoints(JsonNode kps) {
        StringBuilder s = new StringBuilder();
        for (JsonNode k : kps) {
            if (s.length() > 0) {
                s.append("<br>");
            }
            s.append(Html.esc(k.path("type").asText())).append(' ').append(px(k.path("x"))).append(", ").append(px(k.path("y")));
        }
        return s.toString();
    }
}
