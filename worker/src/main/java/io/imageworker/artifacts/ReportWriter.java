package io.imageworker.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.Thumbnails;
import io.imageworker.storage.S3Location;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: a contact sheet of a job, readable offline in any browser. Input previews are
 * embedded (inputs live in another bucket); the job's own artifacts are linked by relative paths, so
 * the folder can be downloaded (or opened where the local stack keeps it) and viewed as is. No
 * scripts, everything escaped.
 */
public final class ReportWriter {

    /** Items shown with pictures; the rest of a large job is summarised in a table row count. */
    static final int MAX_CARDS = 500;

    private final ObjectMapper json;

    /**
     * @param json writes the task-specific item fields the report has no layout for as compact JSON
     *     text (cut at 600 characters)
     */
    public ReportWriter(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param result the result event with all items, as a JSON tree
     * @param prefix the job's output prefix (artifact URIs under it become relative links)
     * @param thumbnails PNG previews of inputs by item index
     * @param section the task's rendering of its own item fields
     */
    public byte[] render(JsonNode result, S3Location prefix, Map<Integer, Thumbnails.Thumbnail> thumbnails,
            ReportSection section) {
        StringBuilder h = new StringBuilder(16384);
        String jobId = result.path("jobId").asText();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc("image-worker job " + jobId)).append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        JsonNode s = result.path("summary");
        h.append("<header><h1>").append(esc(jobId)).append("</h1><p class=\"status ").append(esc(result.path("status").asText()))
                .append("\">").append(esc(result.path("status").asText())).append("</p><p>task <b>")
                .append(esc(result.path("task").asText())).append("</b>");
        if (result.has("model")) {
            h.append(" &middot; model <b>").append(esc(result.path("model").path("name").asText() + ":"
                    + result.path("model").path("version").asText())).append("</b>");
        }
        h.append(" &middot; ").append(s.path("total").asInt()).append(" items, ").append(s.path("succeeded").asInt())
                .append(" succeeded, ").append(s.path("failed").asInt()).append(" failed &middot; finished ")
                .append(esc(result.path("finishedAt").asText())).append(" by ").append(esc(result.path("workerId").asText()))
                .append("</p>");
        JsonNode jobArtifacts = result.path("artifacts");
        for (Iterator<Map.Entry<String, JsonNode>> it = jobArtifacts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            String href = relative(a.getValue().asText(), prefix);
            if (href.endsWith(".png")) {
                h.append("<figure class=\"wide\"><img alt=\"").append(esc(a.getKey())).append("\" src=\"").append(esc(href))
                        .append("\"><figcaption>").append(esc(a.getKey())).append("</figcaption></figure>");
            } else if (!a.getKey().equals("report")) {
                h.append("<p><a href=\"").append(esc(href)).append("\">").append(esc(a.getKey())).append("</a></p>");
            }
        }
        h.append("</header>\n<main>\n");
        int shown = 0;
        for (JsonNode item : result.path("items")) {
            if (shown++ == MAX_CARDS) {
                h.append("<p class=\"more\">").append(result.path("items").size() - MAX_CARDS)
                        .append(" more items: see items.jsonl</p>\n");
                break;
            }
            card(h, item, prefix, thumbnails, section);
        }
        h.append("</main>\n</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void card(StringBuilder h, JsonNode item, S3Location prefix, Map<Integer, Thumbnails.Thumbnail> thumbnails,
            ReportSection section) {
        boolean ok = "succeeded".equals(item.path("status").asText());
        int index = item.path("index").asInt();
        StringBuilder pics = new StringBuilder();
        int shown = 0;
        Thumbnails.Thumbnail thumb = thumbnails.get(index);
        if (thumb != null) {
            shown++;
            pics.append("<figure><img alt=\"input\" src=\"data:").append(thumb.mediaType()).append(";base64,")
                    .append(Base64.getEncoder().encodeToString(thumb.bytes())).append("\"><figcaption>input</figcaption></figure>");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = item.path("artifacts").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            String caption = section.caption(a.getKey());
            if (a.getKey().equals("mask") || caption == null) {
                continue; // class ids as grey levels look black; the overlay shows them
            }
            shown++;
            pics.append("<figure><img alt=\"").append(esc(a.getKey())).append("\" src=\"")
                    .append(esc(relative(a.getValue().asText(), prefix))).append("\"><figcaption>").append(esc(caption))
                    .append("</figcaption></figure>");
        }
        // More than three pictures widen the card so that they stand side by side (models compared, detections).
        h.append("<section class=\"card").append(ok ? "" : " failed").append(shown > 3 ? " row" : "")
                .append("\"><div class=\"pics\">").append(pics);
        h.append("</div><p class=\"name\">#").append(index).append(' ')
                .append(esc(item.path("uri").asText(item.path("id").asText("")))).append("</p>");
        if (!ok) {
            h.append("<p class=\"error\">").append(esc(item.path("error").path("code").asText())).append(": ")
                    .append(esc(item.path("error").path("message").asText())).append("</p>");
        }
        h.append(section.html(item));
        if (item.has("labels") && !section.fields().contains("labels")) {
            h.append("<p>");
            for (JsonNode l : item.path("labels")) {
                h.append("<span class=\"label\">").append(esc(l.path("label").asText())).append(' ')
                        .append(String.format("%.3f", l.path("score").asDouble())).append("</span> ");
            }
            h.append("</p>");
        }
        details(h, item, section);
        h.append("</section>\n");
    }

    /** Fields no section claimed: scalars as "name value", anything else as compact JSON. */
    private void details(StringBuilder h, JsonNode item, ReportSection section) {
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
                case "index", "uri", "id", "status", "error", "width", "height", "labels", "artifacts" -> {
                }
                case "outOfDistribution" -> {
                    // an abstention reads as a sentence, not JSON: what the model says, and why
                    JsonNode o = f.getValue();
                    List<String> reasons = new java.util.ArrayList<>();
                    o.path("reasons").forEach(r -> reasons.add(r.asText()));
                    h.append("<p class=\"ood\">not what the model knows: score ")
                            .append(String.format(java.util.Locale.ROOT, "%.2f", o.path("score").asDouble()))
                            .append(" above its cut of ")
                            .append(String.format(java.util.Locale.ROOT, "%.2f", o.path("threshold").asDouble()))
                            .append(reasons.isEmpty() ? "" : " (" + esc(String.join(", ", reasons)) + ")").append("</p>");
                }
                default -> {
                    if (!section.fields().contains(f.getKey())) {
                        h.append("<p class=\"detail\"><b>").append(esc(f.getKey())).append("</b> ")
                                .append(esc(f.getValue().isValueNode() ? f.getValue().asText() : compact(f.getValue())))
                                .append("</p>");
                    }
                }
            }
        }
    }

    private String compact(JsonNode v) {
        try {
            String s = json.writeValueAsString(v);
            return s.length() > 600 ? s.substring(0, 600) + "..." : s;
        } catch (Exception e) {
            return v.toString();
        }
    }

    static String relative(String uri, S3Location prefix) {
        String base = prefix.toString();
        return uri.startsWith(base) ? uri.substring(base.length()) : uri;
    }

    static String esc(String s) {
        return Html.esc(s);
    }

    private static final String CSS = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
            header h1 { margin: 0 0 .2em; font-size: 1.4em; word-break: break-all; }
            .status { display: inline-block; padding: .1em .6em; border-radius: .8em; color: #fff; background: #777; margin: 0; }
            .status.succeeded { background: #2e7d32; } .status.partial { background: #ef6c00; }
            .status.failed, .status.rejected, .status.expired { background: #c62828; }
            main { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 1em; }
            .card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px; width: 300px; }
            .card.failed { border-color: #c62828; }
            .card.row { width: auto; max-width: 620px; }
            .pics { display: flex; gap: 6px; flex-wrap: wrap; }
            figure { margin: 0; text-align: center; font-size: 11px; color: #666; }
            figure img { width: 88px; height: 88px; object-fit: contain; image-rendering: pixelated; background: #000; }
            figure.wide img { width: auto; height: auto; max-width: 100%; }
            .name { font-size: 11px; color: #555; word-break: break-all; margin: .3em 0; }
            .error { color: #c62828; }
            .label { display: inline-block; background: #e3f2fd; border-radius: 3px; padding: 0 4px; margin: 1px; }
            .swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; vertical-align: middle; }
            .detail { font: 11px monospace; word-break: break-all; }
            .ood { color: #6a1b9a; font-weight: 600; }
            table.t { border-collapse: collapse; font-size: 12px; margin: .3em 0; }
            table.t th, table.t td { border-bottom: 1px solid #eee; padding: 1px 6px; text-align: left; }
            table.t th { color: #555; font-weight: 600; }
            .more { width: 100%; }
            """;
}
