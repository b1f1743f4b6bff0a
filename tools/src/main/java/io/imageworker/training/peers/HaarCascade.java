package io.imageworker.training.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.training.metrics.Region;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenCV's Haar cascade face detector (Viola and Jones, CVPR 2001; OpenCV 4.6 from Debian
 * {@code python3-opencv}, cascade {@code haarcascade_frontalface_default.xml} from {@code opencv-data})
 * run through {@code deploy/peers/haar_faces.py} with Debian's {@code /usr/bin/python3}. One process
 * serves a list of images and prints one JSON line per image.
 *
 * <p>Defaults are OpenCV's documented defaults of {@code CascadeClassifier::detectMultiScale}:
 * scaleFactor 1.1, minNeighbors 3, no minimum size
 * (https://docs.opencv.org/4.6.0/d1/de5/classcv_1_1CascadeClassifier.html), after the grey
 * conversion and histogram equalisation of OpenCV's cascade tutorial. Each face's score is the
 * cascade's level weight ({@code detectMultiScale3} with {@code outputRejectLevels}), used only to
 * rank detections for average precision. Instances are immutable and thread-safe.
 */
public final class HaarCascade {

    /** Debian's Python, which has {@code cv2} (a pyenv or virtualenv python on the PATH may not). */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The frontal face cascade of Debian's {@code opencv-data}. */
    public static final Path CASCADE = Path.of("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
    /** The script, relative to the repository root. */
    public static final Path SCRIPT = Path.of("deploy/peers/haar_faces.py");
    /** OpenCV's default scale step between pyramid levels. */
    public static final double DEFAULT_SCALE_FACTOR = 1.1;
    /** OpenCV's default number of overlapping raw detections a face needs. */
    public static final int DEFAULT_MIN_NEIGHBORS = 3;

    /**
     * One detected face.
     *
     * @param box {@code x, y, width, height} in pixels of the image as read
     * @param score the cascade's level weight; higher is surer (unbounded, may be negative)
     */
    public record Face(Region box, double score) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;
    private final Path script;
    private final Path cascade;
    private final double scaleFactor;
    private final int minNeighbors;
    private final Duration timeout;

    /**
     * @param python interpreter with {@code cv2}
     * @param script {@code haar_faces.py}
     * @param cascade the cascade XML
     * @param scaleFactor &gt; 1
     * @param minNeighbors &gt;= 0
     * @param timeout for one call (all its images)
     */
    public HaarCascade(Path python, Path script, Path cascade, double scaleFactor, int minNeighbors, Duration timeout) {
        this.python = python;
        this.script = script;
        this.cascade = cascade;
        this.scaleFactor = scaleFactor;
        this.minNeighbors = minNeighbors;
        this.timeout = timeout;
    }

    /**
     * The script under {@code from} or the nearest folder above it that has one: the tools run from the
     * repository's root, their tests from a module's folder.
     */
    static Path script(Path from) {
        for (Path p = from.toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p.resolve(SCRIPT))) {
                return p.resolve(SCRIPT);
            }
        }
        return from.resolve(SCRIPT);
    }

    /** OpenCV's defaults, the script under {@code repositoryRoot}, 10 minutes per call. */
    public static HaarCascade defaults(Path repositoryRoot) {
        return new HaarCascade(PYTHON, script(repositoryRoot), CASCADE, DEFAULT_SCALE_FACTOR, DEFAULT_MIN_NEIGHBORS,
                Duration.ofMinutes(10));
    }

    /** True when the interpreter, the script and the cascade exist and the interpreter imports {@code cv2}. */
    public boolean available() {
        if (!Files.isExecutable(python) || !Files.isRegularFile(script) || !Files.isRegularFile(cascade)) {
            return false;
        }
        try {
            return Processes.run(List.of(python.toString(), "-c", "import cv2"), Duration.ofSeconds(30)).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** OpenCV's version as the interpreter reports it, or "unknown". */
    public String version() {
        try {
            return Processes.run(List.of(python.toString(), "-c", "import cv2; print(cv2.__version__)"), Duration.ofSeconds(30))
                    .stdout().strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Detects faces on each image, in one process.
     *
     * @return every image's faces, in the order given
     * @throws IOException when the process cannot run, fails, times out, or an image cannot be read
     */
    public Map<Path, List<Face>> detect(List<Path> images) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "--cascade", cascade.toString(),
                "--scale-factor", String.format(Locale.ROOT, "%s", scaleFactor), "--min-neighbors",
                Integer.toString(minNeighbors)));
        images.forEach(p -> cmd.add(p.toString()));
        Processes.Result r = Processes.run(cmd, timeout);
        if (r.exitCode() != 0) {
            throw new IOException("haar_faces.py exited with " + r.exitCode() + ": " + r.stdout().strip() + " "
                    + r.stderr().strip());
        }
        Map<Path, List<Face>> out = new LinkedHashMap<>();
        List<String> lines = r.stdout().lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != images.size()) {
            throw new IOException("haar_faces.py answered " + lines.size() + " lines for " + images.size() + " images");
        }
        for (int i = 0; i < images.size(); i++) {
            out.put(images.get(i), parse(lines.get(i)));
        }
        return out;
    }

    /** Parses one output line of the script. */
    static List<Face> parse(String jsonLine) throws IOException {
        JsonNode n = JSON.readTree(jsonLine);
        if (n.has("error")) {
            throw new IOException("haar_faces.py: " + n.path("image").asText("?") + ": " + n.get("error").asText());
        }
        List<Face> faces = new ArrayList<>();
        for (JsonNode f : n.path("faces")) {
            JsonNode b = f.get("box");
            faces.add(new Face(Region.box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()),
                    f.get("score").asDouble()));
        }
        return faces;
    }
}
