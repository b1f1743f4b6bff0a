package io.imageworker.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.imageworker.documents.DocumentLimits;
import io.imageworker.documents.DocumentPages;
import io.imageworker.documents.Page;
import io.imageworker.documents.PageSelection;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.tasks.text.TextReader;
import io.imageworker.training.text.InProcessTextReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The study that chooses how the text detector sees a document page, on pages the documents set's figures
 * do not come from: the same kinds drawn from other seeds ({@code documents.study.seeds}, default 1,2,3, so
 * 6 pages of 12 lines per kind), read by the project's OCR with each detector size in
 * {@code documents.study.maxSides}; prints CER per kind and size, and each line a size misread.
 *
 * <pre>
 * ./mvnw -B -o test -pl tools -Dtest=DocumentReadingStudyTest -Ddocuments.study=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Writes {@code target/document-study.md}. Also: {@code documents.study.debug=KIND@SIDE} prints every line read
 * there with its confidence; {@code documents.study.minConfidence} overrides the recognizer card's (0 shows the
 * lines it drops). Tesseract's column is filled where it is installed.
 */
@EnabledIfSystemProperty(named = "documents.study", matches = "true")
class DocumentReadingStudyTest {

    @Test
    void cerPerKindAndDetectorSize() throws Exception {
        long[] seeds = Arrays.stream(System.getProperty("documents.study.seeds", "1,2,3").split(",")).mapToLong(Long::parseLong)
                .toArray();
        int[] sides = Arrays.stream(System.getProperty("documents.study.maxSides", "960,1280,1600,1920").split(","))
                .mapToInt(Integer::parseInt).toArray();
        assertThat(seeds).doesNotContain(DocumentSet.SEED);
        Map<String, TextAccuracy> cer = new LinkedHashMap<>();
        io.imageworker.training.peers.Tesseract tesseract = io.imageworker.training.peers.Tesseract.defaults();
        Map<String, Long> nanos = new LinkedHashMap<>();
        StringBuilder misses = new StringBuilder();
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("document-study-models"));
        try (LoadedModel detector = ModelLoader.load(repo.resolve(DocumentSetTest.TEXT_DETECTOR).dir(), Device.cpu());
                InProcessTextReader ours = new InProcessTextReader(detector, repo)) {
            TextReader.Settings base = ours.settings();
            for (long seed : seeds) {
                Path dir = Path.of("target", "document-study", Long.toString(seed));
                for (DocumentSet.Document d : DocumentSet.write(dir, seed)) {
                    if (d.kind() == DocumentSet.Kind.TEXT_LAYER_PDF) {
                        continue;
                    }
                    try (DocumentPages doc = DocumentPages.open(Files.readAllBytes(dir.resolve(d.file())), DocumentLimits.defaults())) {
                        for (Iterator<Page> it = doc.pages(PageSelection.all()); it.hasNext(); ) {
                            Page page = it.next();
                            String truth = d.pages().get(page.number() - 1);
                            if (tesseract.available()) {
                                Path png = dir.resolve(d.kind().label + "-" + page.number() + ".png");
                                javax.imageio.ImageIO.write(page.image(), "png", png.toFile());
                                String peer = tesseract.read(png).text();
                                cer.computeIfAbsent(d.kind().label + "@tesseract", k -> new TextAccuracy()).add(truth, peer);
                                for (String line : truth.split("\n")) {
                                    if (!TextAccuracy.normalise(peer).contains(TextAccuracy.normalise(line))) {
                                        misses.append(String.format(Locale.ROOT, "%s@tesseract seed %d page %d: %s%n", d.kind().label,
                                                seed, page.number(), line));
                                    }
                                }
                            }
                            for (int side : sides) {
                                TextReader.Settings s = new TextReader.Settings(base.db(), side, base.sizeMultiple(),
                                        base.rotateThreshold(), base.widthMultiple(), Double.parseDouble(System.getProperty("documents.study.minConfidence", "" + base.minConfidence())), base.maxLines(),
                                        base.cropMargin());
                                String key = d.kind().label + "@" + side;
                                long t0 = System.nanoTime();
                                TextReader.Result result = ours.read(page.image(), s);
                                String read = result.fullText();
                                if (key.equals(System.getProperty("documents.study.debug"))) {
                                    misses.append(key).append(" seed ").append(seed).append(" page ").append(page.number())
                                            .append(' ').append(result.timings()).append('\n');
                                    for (var l : result.lines()) {
                                        misses.append(String.format(Locale.ROOT, "  %.3f %s %s%n", l.confidence(), l.quad(), l.text()));
                                    }
                                }
                                nanos.merge(key, System.nanoTime() - t0, Long::sum);
                                cer.computeIfAbsent(key, k -> new TextAccuracy()).add(truth, read);
                                List<String> got = List.of(TextAccuracy.normalise(read));
                                for (String line : truth.split("\n")) {
                                    if (!got.get(0).contains(TextAccuracy.normalise(line))) {
                                        String nearest = result.lines().stream().map(l -> l.text())
                                                .min(java.util.Comparator.comparingInt(l -> TextAccuracy.levenshtein(l, line)))
                                                .orElse("");
                                        misses.append(String.format(Locale.ROOT, "%s seed %d page %d: %s -> %s%n", key, seed,
                                                page.number(), line, nearest));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder("| kind |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (int side : sides) {
            head.append(" CER @").append(side).append(" | s/page |");
            rule.append(" --- | --- |");
        }
        out.add(head.append(" Tesseract CER |").toString());
        out.add(rule.append(" --- |").toString());
        for (DocumentSet.Kind kind : DocumentSet.Kind.values()) {
            if (kind == DocumentSet.Kind.TEXT_LAYER_PDF) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + kind.label + " |");
            for (int side : sides) {
                TextAccuracy a = cer.get(kind.label + "@" + side);
                row.append(String.format(Locale.ROOT, " %.4f | %.2f |", a.characterErrorRate(),
                        nanos.get(kind.label + "@" + side) / 1e9 / a.pairs()));
            }
            TextAccuracy peer = cer.get(kind.label + "@tesseract");
            out.add(row.append(peer == null ? " - |" : String.format(Locale.ROOT, " %.4f |", peer.characterErrorRate())).toString());
        }
        String report = String.join("\n", out) + "\n\nLines not read exactly:\n" + misses;
        System.out.println(report);
        Files.writeString(Path.of("target", "document-study.md"), report);
    }
}
