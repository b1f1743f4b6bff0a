package io.imageworker.training.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text evaluation set: images of text with every line's transcription and 4-point polygon,
 * read from {@code labels.json} ({@code /datasets/text/} in the application, made by
 * {@link TextSetGenerator} plus the hand-transcribed third-party images of
 * {@code thirdparty.json}).
 *
 * @param name set name
 * @param version set version; a new version whenever images or labels change
 * @param images every image, in a fixed order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TextSet(String name, int version, List<Image> images) {

    /** Classpath folder of the set carried by the application. */
    public static final String BUNDLED = "/datasets/text/";

    /**
     * One line of text.
     *
     * @param text its transcription, exactly as rendered or printed (single spaces between words)
     * @param polygon 4 points {@code x0, y0, x1, y1, x2, y2, x3, y3} in pixels of the stored image,
     *     clockwise from the top-left corner of the text as read, around the ink of the line
     * @param block index of the text block (paragraph) the line belongs to, from 0 in reading order
     * @param difficult true for a line too damaged or cut to read: it neither counts as a miss nor
     *     enters the reference text
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Line(String text, double[] polygon, int block, boolean difficult) {

        /** The polygon as a {@link Region}. */
        public Region region() {
            return Region.polygon(polygon);
        }
    }

    /**
     * One image.
     *
     * @param file file name under {@code images/}
     * @param width pixels
     * @param height pixels
     * @param source "generated" (rendered by {@link TextSetGenerator}) or "third-party" (see SOURCES.md)
     * @param clean true when the text is upright, sharp, on a plain background and losslessly stored
     * @param conditions what was applied (font, size px, polarity, rotation degrees, blur sigma, JPEG
     *     quality, background); free-form, for slicing results
     * @param lines every line in reading order (blocks top to bottom, lines top to bottom)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String file, int width, int height, String source, boolean clean, Map<String, Object> conditions,
            List<Line> lines) {

        /**
         * The reference text: the readable lines in reading order, one per line ({@code \n} between
         * lines); compare after {@link TextAccuracy#normalise}.
         */
        public String text() {
            return lines.stream().filter(l -> !l.difficult()).map(Line::text).collect(Collectors.joining("\n"));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** The set carried by the application (classpath {@code /datasets/text/labels.json}). */
    public static TextSet bundled() throws IOException {
        try (InputStream in = TextSet.class.getResourceAsStream(BUNDLED + "labels.json")) {
            if (in == null) {
                throw new IOException("the application does not carry " + BUNDLED + "labels.json");
            }
            return JSON.readValue(in, TextSet.class);
        }
    }

    /** Reads {@code labels.json} from a folder (its images are under {@code images/} beside it). */
    public static TextSet read(Path folder) throws IOException {
        return JSON.readValue(Files.readAllBytes(folder.resolve("labels.json")), TextSet.class);
    }
}
