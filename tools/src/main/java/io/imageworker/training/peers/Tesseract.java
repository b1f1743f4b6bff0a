package io.imageworker.training.peers;

import io.imageworker.training.metrics.Region;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tesseract OCR (5.x; Debian {@code tesseract-ocr} and {@code tesseract-ocr-eng}) run through its
 * command-line program on one image file: {@code tesseract IMAGE stdout -l LANG --psm PSM tsv}.
 * The TSV output (one row per page, block, paragraph, line and word; columns {@code level page_num
 * block_num par_num line_num word_num left top width height conf text}; tesseract(1), "TSV output")
 * becomes lines in Tesseract's own reading order, each with its words joined by single spaces, its
 * line box and the mean confidence of its words.
 *
 * <p>Page segmentation mode 3 ("fully automatic page segmentation, but no OSD") is Tesseract's
 * default. Instances are immutable and thread-safe; each call starts one process.
 */
public final class Tesseract {

    /**
     * One line read.
     *
     * @param text the words, single spaces between them
     * @param box the line's box (left, top, width, height from the TSV), pixels of the image as read
     * @param confidence mean of its words' confidences, in [0, 1] (Tesseract reports 0-100)
     */
    public record Line(String text, Region box, double confidence) {}

    /**
     * What Tesseract read on one image.
     *
     * @param lines in Tesseract's reading order (blocks, paragraphs, lines)
     */
    public record Page(List<Line> lines) {

        /** The lines' text, one per line. */
        public String text() {
            return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
        }
    }

    private final String binary;
    private final String language;
    private final int pageSegmentationMode;
    private final Duration timeout;
    private final List<String> configs;

    /**
     * @param binary the program ({@code tesseract} on the PATH, or a full path)
     * @param language traineddata name, e.g. {@code eng}
     * @param pageSegmentationMode {@code --psm}, 0-13; 3 is the default
     * @param timeout how long one image may take before the process is killed
     */
    public Tesseract(String binary, String language, int pageSegmentationMode, Duration timeout) {
        this.binary = binary;
        this.language = language;
        this.pageSegmentationMode = pageSegmentationMode;
        this.timeout = timeout;
        this.configs = List.of();
    }

    private Tesseract(Tesseract base, List<String> configs) {
        this.binary = base.binary;
        this.language = base.language;
        this.pageSegmentationMode = base.pageSegmentationMode;
        this.timeout = base.timeout;
        this.configs = List.copyOf(configs);
    }

    /**
     * This Tesseract with one more config variable ({@code -c name=value}), e.g. {@code thresholding_method}
     * 2, Sauvola's local binarisation instead of the default global Otsu (Tesseract 5.0 and later).
     */
    public Tesseract withConfig(String name, String value) {
        List<String> more = new ArrayList<>(configs);
        more.add(name + "=" + value);
        return new Tesseract(this, more);
    }

    /** {@code tesseract} from the PATH, English, page segmentation mode 3, 60 s per image. */
    public static Tesseract defaults() {
        return new Tesseract("tesseract", "eng", 3, Duration.ofSeconds(60));
    }

    /** True when the program runs and lists this instance's language (e.g. {@code tesseract-ocr-eng} is installed). */
    public boolean available() {
        try {
            Processes.Result r = Processes.run(List.of(binary, "--list-langs"), Duration.ofSeconds(20));
            return r.exitCode() == 0 && (r.stdout() + r.stderr()).lines().anyMatch(l -> l.strip().equals(language));
        } catch (IOException e) {
            return false;
        }
    }

    /** The version line Tesseract prints first ({@code tesseract 5.3.0}), or "unknown". */
    public String version() {
        try {
            Processes.Result r = Processes.run(List.of(binary, "--version"), Duration.ofSeconds(20));
            return (r.stdout() + r.stderr()).lines().findFirst().orElse("unknown").strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Reads the text of one image file (any format Leptonica reads: PNG, JPEG, TIFF, ...).
     *
     * @throws IOException when the file is missing, the program cannot run, fails or times out
     */
    public Page read(Path image) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new IOException("no such image: " + image);
        }
        List<String> command = new ArrayList<>(List.of(binary, image.toString(), "stdout", "-l", language, "--psm",
                Integer.toString(pageSegmentationMode)));
        for (String c : configs) {
            command.add("-c");
            command.add(c);
        }
        command.add("tsv");
        Processes.Result r = Processes.run(command, timeout);
        if (r.exitCode() != 0) {
            throw new IOException("tesseract exited with " + r.exitCode() + " on " + image + ": " + r.stderr().strip());
        }
        return parseTsv(r.stdout());
    }

    /** Parses Tesseract's TSV: level-4 rows give line boxes, level-5 rows the words; blank words are dropped. */
    static Page parseTsv(String tsv) {
        Map<String, int[]> boxes = new LinkedHashMap<>();
        Map<String, List<String>> words = new LinkedHashMap<>();
        Map<String, List<Double>> confs = new LinkedHashMap<>();
        for (String row : tsv.split("\n")) {
            String[] f = row.split("\t", -1);
            if (f.length < 12 || !f[0].matches("\\d+")) {
                continue;
            }
            int level = Integer.parseInt(f[0]);
            String key = f[1] + "/" + f[2] + "/" + f[3] + "/" + f[4];
            if (level == 4) {
                boxes.put(key, new int[] {Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]),
                    Integer.parseInt(f[9])});
            } else if (level == 5) {
                String text = f[11].strip();
                if (!text.isEmpty()) {
                    words.computeIfAbsent(key, k -> new ArrayList<>()).add(text);
                    confs.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[10]));
                }
            }
        }
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<String, int[]> e : boxes.entrySet()) {
            List<String> w = words.get(e.getKey());
            if (w == null) {
                continue;
            }
            int[] b = e.getValue();
            double conf = confs.get(e.getKey()).stream().mapToDouble(Double::doubleValue).average().orElse(0) / 100;
            lines.add(new Line(String.join(" ", w), Region.box(b[0], b[1], b[2], b[3]), Math.max(0, Math.min(1, conf))));
        }
        return new Page(lines);
    }
}
