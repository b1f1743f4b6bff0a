package io.imageworker.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** Small, escaping HTML builders for report sections: no scripts, every text escaped. */
public final class Html {

    private Html() {}

    /** {@code s} with {@code < > & " '} escaped, for text and attribute values. */
    public static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A table with a header row; cells are HTML already (escape text with {@link #esc}).
     *
     * @param header column titles (plain text)
     * @param rows cells per row, as HTML
     */
    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder h = new StringBuilder("<table class=\"t\"><tr>");
        header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>");
        for (List<String> row : rows) {
            h.append("<tr>");
            row.forEach(c -> h.append("<td>").append(c).append("</td>"));
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    /** A colour swatch of CSS colour {@code hex} ({@code #RRGGBB}). */
    public static String swatch(String hex) {
        return "<span class=\"swatch\" style=\"background:" + esc(hex) + "\"></span>";
    }

    /** A score in [0, 1] as three decimals. */
    public static String score(JsonNode v) {
        return String.format(Locale.ROOT, "%.3f", v.asDouble());
    }

    /** A fraction in [0, 1] as a percentage with one decimal. */
    public static String percent(JsonNode v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
    }
}
