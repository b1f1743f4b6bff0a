package io.imageworker.tasks.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.tasks.VisionJson;

/**
 * A {@code text} item as Cloud Vision answers TEXT_DETECTION and DOCUMENT_TEXT_DETECTION
 * ({@code AnnotateImageResponse}):
 * <ul>
 *   <li>{@code textAnnotations}: the whole text with the box around every line, then one
 *       {@code EntityAnnotation} per word ({@code description}, {@code boundingPoly}) in reading
 *       order; per line for an item read without words ({@code layout} {@code lines});</li>
 *   <li>{@code fullTextAnnotation}: {@code text} and one page ({@code width}, {@code height}: points
 *       for a PDF page, from the item's {@code dpi}, pixels otherwise, as Cloud Vision gives them;
 *       {@code confidence}) of blocks ({@code boundingBox}, {@code confidence}, {@code blockType}
 *       TEXT), each with one paragraph (the block's lines) of words of symbols, each with its
 *       {@code boundingBox} and {@code confidence}; a symbol's {@code text}; the last symbol of a
 *       word carries {@code property.detectedBreak} {@code SPACE}, of a line {@code EOL_SURE_SPACE},
 *       of a paragraph's last line {@code LINE_BREAK}, as Cloud Vision marks them. Without words,
 *       blocks have no paragraphs.</li>
 * </ul>
 * Boxes are {@code vertices} in whole input pixels for an image; for a page of a document (the item
 * has {@code page}) {@code normalizedVertices}, fractions of the page's width and height (0..1), as
 * Cloud Vision gives them for files. Both are left out when no text was found, as Cloud Vision does.
 */
final class VisionText {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Cloud Vision's break after a word in a line. */
    static final String SPACE = "SPACE";
    /** Cloud Vision's break at the end of a line that goes on in the next (a wrap). */
    static final String EOL_SURE_SPACE = "EOL_SURE_SPACE";
    /** Cloud Vision's break at the end of a paragraph's last line. */
    static final String LINE_BREAK = "LINE_BREAK";

    private final double width;
    private final double height;
    private final boolean normalized;

    private VisionText(JsonNode item) {
        width = item.path("width").asDouble();
        height = item.path("height").asDouble();
        normalized = item.has("page") && width > 0 && height > 0;
    }

    /** The Cloud Vision fields of one succeeded {@code text} item (its result JSON). */
    static ObjectNode annotation(JsonNode item) {
        return new VisionText(item).of(item);
    }

    private ObjectNode of(JsonNode item) {
        ObjectNode out = F.objectNode();
        JsonNode text = item.path("text");
        String full = text.path("fullText").asText("");
        if (full.isEmpty()) {
            return out;
        }
        ArrayNode annotations = out.putArray("textAnnotations");
        ObjectNode whole = annotations.addObject().put("description", full);
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (JsonNode b : text.path("blocks")) {
            for (JsonNode l : b.path("lines")) {
                JsonNode words = l.path("words");
                if (words.isArray() && !words.isEmpty()) {
                    for (JsonNode w : words) {
                        annotations.addObject().put("description", w.path("text").asText()).set("boundingPoly",
                                poly(w.path("polygon")));
                    }
                } else {
                    annotations.addObject().put("description", l.path("text").asText()).set("boundingPoly",
                            poly(l.path("polygon")));
                }
                for (JsonNode p : l.path("polygon")) {
                    box[0] = Math.min(box[0], p.get(0).asDouble());
                    box[1] = Math.min(box[1], p.get(1).asDouble());
                    box[2] = Math.max(box[2], p.get(0).asDouble());
                    box[3] = Math.max(box[3], p.get(1).asDouble());
                }
            }
        }
        if (box[0] <= box[2]) {
            ArrayNode corners = F.arrayNode();
            corners.addArray().add(box[0]).add(box[1]);
            corners.addArray().add(box[2]).add(box[1]);
            corners.addArray().add(box[2]).add(box[3]);
            corners.addArray().add(box[0]).add(box[3]);
            whole.set("boundingPoly", poly(corners));
        }
        ObjectNode fullText = out.putObject("fullTextAnnotation");
        fullText.put("text", full);
        ObjectNode page = fullText.putArray("pages").addObject();
        // Cloud Vision: points for a PDF page, pixels for an image and a TIFF page
        double dpi = item.path("dpi").asDouble(0);
        double toUnit = dpi > 0 ? 72 / dpi : 1;
        page.put("width", (int) Math.round(item.path("width").asInt() * toUnit))
                .put("height", (int) Math.round(item.path("height").asInt() * toUnit));
        double weighted = 0;
        int chars = 0;
        ArrayNode blocks = F.arrayNode();
        for (JsonNode b : text.path("blocks")) {
            blocks.add(block(b));
            int k = Math.max(1, b.path("text").asText().length());
            weighted += k * b.path("confidence").asDouble();
            chars += k;
        }
        page.put("confidence", chars == 0 ? 0 : round(weighted / chars));
        page.set("blocks", blocks);
        return out;
    }

    private ObjectNode block(JsonNode b) {
        ObjectNode block = F.objectNode();
        block.set("boundingBox", poly(b.path("polygon")));
        boolean words = false;
        for (JsonNode l : b.path("lines")) {
            words |= l.path("words").size() > 0;
        }
        if (words) {
            ObjectNode paragraph = block.putArray("paragraphs").addObject();
            paragraph.set("boundingBox", poly(b.path("polygon")));
            ArrayNode ws = paragraph.putArray("words");
            JsonNode lines = b.path("lines");
            for (int i = 0; i < lines.size(); i++) {
                JsonNode lw = lines.get(i).path("words");
                for (int k = 0; k < lw.size(); k++) {
                    String brk = k < lw.size() - 1 ? SPACE : i < lines.size() - 1 ? EOL_SURE_SPACE : LINE_BREAK;
                    ws.add(word(lw.get(k), brk));
                }
            }
            paragraph.put("confidence", b.path("confidence").asDouble());
        }
        block.put("confidence", b.path("confidence").asDouble()).put("blockType", "TEXT");
        return block;
    }

    private ObjectNode word(JsonNode w, String brk) {
        ObjectNode word = F.objectNode();
        word.set("boundingBox", poly(w.path("polygon")));
        ArrayNode symbols = word.putArray("symbols");
        JsonNode ss = w.path("symbols");
        for (int i = 0; i < ss.size(); i++) {
            ObjectNode s = symbols.addObject();
            if (i == ss.size() - 1) {
                s.putObject("property").putObject("detectedBreak").put("type", brk);
            }
            s.set("boundingBox", poly(ss.get(i).path("polygon")));
            s.put("text", ss.get(i).path("text").asText()).put("confidence", ss.get(i).path("confidence").asDouble());
        }
        word.put("confidence", w.path("confidence").asDouble());
        return word;
    }

    /** A {@code BoundingPoly}: whole pixels for an image, fractions of the page for a document page. */
    private ObjectNode poly(JsonNode points) {
        if (!normalized) {
            return VisionJson.poly(points);
        }
        ObjectNode poly = F.objectNode();
        ArrayNode vertices = poly.putArray("normalizedVertices");
        for (JsonNode p : points) {
            vertices.addObject().put("x", fraction(p.get(0).asDouble() / width)).put("y", fraction(p.get(1).asDouble() / height));
        }
        return poly;
    }

    /** A fraction of the page, clamped to 0..1, to 4 decimals (a tenth of a pixel on a 300 dpi A4 page). */
    private static double fraction(double f) {
        return Math.round(Math.max(0, Math.min(1, f)) * 10_000) / 10_000.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
