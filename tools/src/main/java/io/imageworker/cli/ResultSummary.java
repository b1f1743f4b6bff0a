package io.imageworker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Map;

/** A readable summary of a result event: status, one line per item, accuracy when labels are known. */
final class ResultSummary {

    private final PrintStream out;

    ResultSummary(PrintStream out) {
        this.out = out;
    }

    /** @param truth true label by input URI (empty when unknown) */
    void print(JsonNode result, Map<String, String> truth) {
        JsonNode summary = result.path("summary");
        out.printf("job %s: %s (%d items: %d succeeded, %d failed)%n", result.path("jobId").asText(),
                result.path("status").asText(), summary.path("total").asInt(), summary.path("succeeded").asInt(),
                summary.path("failed").asInt());
        if (result.hasNonNull("error")) {
            out.printf("  error %s: %s%n", result.path("error").path("code").asText(), result.path("error").path("message").asText());
        }
        if (result.hasNonNull("model")) {
            out.printf("  model %s:%s%n", result.path("model").path("name").asText(), result.path("model").path("version").asText());
        }
        int known = 0;
        int right = 0;
        for (JsonNode item : result.path("items")) {
            String uri = item.path("uri").asText("(generated)");
            if (!"succeeded".equals(item.path("status").asText())) {
                out.printf("  %-60s FAILED %s: %s%n", uri, item.path("error").path("code").asText(),
                        item.path("error").path("message").asText());
                continue;
            }
            StringBuilder line = new StringBuilder();
            JsonNode labels = item.path("labels");
            if (item.has("labelSet")) {
                // photo labels of a classify job: the objects task's classes, not the model's
                line.append("photo labels (").append(item.path("labelSet").asText()).append("): ")
                        .append(labels.size() > 0 ? "" : "none; ");
            }
            if (labels.isArray() && labels.size() > 0) {
                line.append(String.format("%s (%.3f)", labels.get(0).path("label").asText(), labels.get(0).path("score").asDouble()));
                for (int i = 1; i < Math.min(3, labels.size()); i++) {
                    line.append(String.format(", %s %.3f", labels.get(i).path("label").asText(), labels.get(i).path("score").asDouble()));
                }
            }
            JsonNode ood = item.path("outOfDistribution");
            if (ood.isObject()) {
                line.append(line.isEmpty() ? "" : "; ").append(String.format("not what the model knows (out-of-distribution score %.2f > %.2f: %s)",
                        ood.path("score").asDouble(), ood.path("threshold").asDouble(), ood.path("reasons")));
            }
            for (JsonNode d : item.path("detections")) {
                JsonNode b = d.path("box");
                line.append(String.format("%s (%.3f)", d.path("label").asText(), d.path("score").asDouble()));
                line.append(b.isMissingNode() ? " no box; " : String.format(" box %d,%d %dx%d; ", b.path("x").asInt(),
                        b.path("y").asInt(), b.path("width").asInt(), b.path("height").asInt()));
            }
            item.path("classFractions").fields().forEachRemaining(f -> line.append(String.format("%s %.1f%%  ", f.getKey(),
                    100 * f.getValue().asDouble())));
            for (JsonNode c : item.path("colors")) {
                line.append(String.format("%s %.1f%%  ", c.path("hex").asText(), 100 * c.path("fraction").asDouble()));
            }
            JsonNode text = item.path("text");
            if (text.isObject()) {
                int lines = 0;
                for (JsonNode b : text.path("blocks")) {
                    lines += b.path("lines").size();
                }
                line.append(String.format("%d blocks, %d lines: ", text.path("blocks").size(), lines));
                line.append('"').append(text.path("fullText").asText().replace("\n", " / ")).append('"');
            }
            if (item.has("faceCount")) {
                line.append(String.format("%d face(s)", item.path("faceCount").asInt()));
                for (JsonNode f : item.path("faces")) {
                    JsonNode b = f.path("box");
                    line.append(String.format("; %.2f at %d,%d %dx%d", f.path("score").asDouble(), b.path("x").asInt(),
                            b.path("y").asInt(), b.path("width").asInt(), b.path("height").asInt()));
                }
            }
            if (item.has("objectCount")) {
                line.append(String.format("%d object(s)", item.path("objectCount").asInt()));
                item.path("objects").forEach(o -> line.append(String.format("; %s %.2f at %d,%d %dx%d", o.path("name").asText(),
                        o.path("score").asDouble(), o.path("box").path("x").asInt(), o.path("box").path("y").asInt(),
                        o.path("box").path("width").asInt(), o.path("box").path("height").asInt())));
            }
            JsonNode safe = item.path("safeSearch");
            if (safe.isObject()) {
                line.append(String.format("adult %s (%.3f), racy %s (%.3f)", safe.path("adult").asText(),
                        safe.path("adultScore").asDouble(), safe.path("racy").asText(), safe.path("racyScore").asDouble()));
            }
            // annotate: one part per Cloud Vision annotation, and the features that failed
            JsonNode labelAnnotations = item.path("labelAnnotations");
            if (labelAnnotations.size() > 0) {
                line.append("labels: ");
                labelAnnotations.forEach(l -> line.append(String.format("%s %.3f  ", l.path("description").asText(),
                        l.path("score").asDouble())));
            }
            if (item.path("textAnnotations").size() > 0) {
                line.append(String.format("text (%d lines): \"%s\"  ", item.path("textAnnotations").size() - 1,
                        item.path("textAnnotations").get(0).path("description").asText().replace("\n", " / ")));
            }
            if (item.has("faceAnnotations")) {
                line.append(String.format("%d face(s)  ", item.path("faceAnnotations").size()));
            }
            for (JsonNode c : item.path("imagePropertiesAnnotation").path("dominantColors").path("colors")) {
                JsonNode rgb = c.path("color");
                line.append(String.format("#%02X%02X%02X %.1f%%  ", rgb.path("red").asInt(), rgb.path("green").asInt(),
                        rgb.path("blue").asInt(), 100 * c.path("pixelFraction").asDouble()));
            }
            JsonNode safeAnnotation = item.path("safeSearchAnnotation");
            if (safeAnnotation.isObject()) {
                line.append(String.format("safe search: adult %s, racy %s  ", safeAnnotation.path("adult").asText(),
                        safeAnnotation.path("racy").asText()));
            }
            item.path("featureErrors").fields().forEachRemaining(e -> line.append(String.format("%n      %s failed (code %d): %s",
                    e.getKey(), e.getValue().path("code").asInt(), e.getValue().path("message").asText())));
            if (item.has("seed") || item.has("label")) {
                line.append("label ").append(item.path("label").asText()).append(item.has("seed") ? ", seed " + item.path("seed").asLong() : "");
            }
            String expected = truth.get(item.path("uri").asText());
            if (expected != null && (ood.isObject() || labels.isArray() && labels.size() > 0)) {
                known++; // an abstention on a known digit counts as a miss
                boolean ok = !ood.isObject() && expected.equals(labels.get(0).path("label").asText());
                right += ok ? 1 : 0;
                line.append(ok ? "  ok" : "  WRONG, expected " + expected);
            }
            item.path("artifacts").fields().forEachRemaining(a -> line.append("\n      ").append(a.getKey()).append(": ").append(a.getValue().asText()));
            out.printf("  %-60s %s%n", uri, line);
        }
        if (known > 0) {
            out.printf("accuracy: %d/%d = %.1f%%%n", right, known, 100.0 * right / known);
        }
        if (result.hasNonNull("resultUri")) {
            out.printf("result file: %s%n", result.path("resultUri").asText());
        }
        if (result.hasNonNull("outputUri")) {
            out.printf("artifacts:   %s%n", result.path("outputUri").asText());
        }
    }
}
