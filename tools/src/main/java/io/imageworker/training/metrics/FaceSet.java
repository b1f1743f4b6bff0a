package io.imageworker.training.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The faces evaluation set: real photos with hand-labelled face boxes, and photos with no face,
 * read from {@code labels.json} ({@code /datasets/faces/} in the application; sources, licences and
 * checksums in its SOURCES.md).
 *
 * @param name set name
 * @param version set version; a new version whenever images or labels change
 * @param images every photo, in a fixed order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FaceSet(String name, int version, List<Photo> images) {

    /** Classpath folder of the set carried by the application. */
    public static final String BUNDLED = "/datasets/faces/";

    /**
     * One labelled face.
     *
     * @param box {@code x, y, width, height} in pixels of the stored photo, hairline (or top of the
     *     visible forehead) to chin, cheek to cheek
     * @param pose "frontal", "profile", "tilted" or "looking down"
     * @param difficult true for a face that neither counts as a miss nor, when found, as a false positive
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Face(int[] box, String pose, boolean difficult) {

        /** The box as a {@link Region}. */
        public Region region() {
            return Region.box(box[0], box[1], box[2], box[3]);
        }

        /** The face as a labelled region for {@link DetectionEvaluation#add}. */
        public DetectionEvaluation.Truth truth() {
            return new DetectionEvaluation.Truth(region(), difficult);
        }
    }

    /**
     * One photo.
     *
     * @param file file name under {@code images/}
     * @param width pixels as stored
     * @param height pixels as stored
     * @param description what it shows
     * @param faces every visible face; empty for a negative photo
     * @param derivedFrom for a resized copy of another photo of the set, that photo's file name; else null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Photo(String file, int width, int height, String description, List<Face> faces, String derivedFrom) {

        /** True when the photo holds no face. */
        public boolean negative() {
            return faces.isEmpty();
        }

        /** Its faces as labelled regions. */
        public List<DetectionEvaluation.Truth> truths() {
            return faces.stream().map(Face::truth).toList();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** The set carried by the application (classpath {@code /datasets/faces/labels.json}). */
    public static FaceSet bundled() throws IOException {
        try (InputStream in = FaceSet.class.getResourceAsStream(BUNDLED + "labels.json")) {
            if (in == null) {
                throw new IOException("the application does not carry " + BUNDLED + "labels.json");
            }
            return JSON.readValue(in, FaceSet.class);
        }
    }

    /** Reads {@code labels.json} from a folder (its photos are under {@code images/} beside it). */
    public static FaceSet read(Path folder) throws IOException {
        return JSON.readValue(Files.readAllBytes(folder.resolve("labels.json")), FaceSet.class);
    }
}
