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
import io.imageworker.testing.Repo;
import io.imageworker.training.text.InProcessTextReader;
import io.imageworker.training.peers.Tesseract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The documents measurement set (issue 28, section 4), written to {@code tools/target/document-set/}: every
 * document opens with the worker's {@code documents} stage and gives its pages; the text layer of the
 * text-layer PDF reads its text exactly ({@code textLayer: auto}'s goal); and Tesseract, run the way
 * self-hosters run it (each page rendered at 300 dpi, TIFF pages as stored, {@code tesseract PAGE stdout}),
 * gives a CER per kind, printed as the Markdown table of docs/tasks/documents.md and written beside the set
 * as {@code cer.md}, beside the project's own OCR on the same pages.
 */
class DocumentSetTest {

    static Path setFolder() {
        return Repo.path("tools", "target", "document-set");
    }

    @Test
    void everyDocumentOpensAndTheTextLayerIsExact() throws Exception {
        List<DocumentSet.Document> docs = DocumentSet.write(setFolder(), DocumentSet.SEED);
        assertThat(docs).hasSize(DocumentSet.Kind.values().length);
        for (DocumentSet.Document d : docs) {
            try (DocumentPages doc = DocumentPages.open(Files.readAllBytes(setFolder().resolve(d.file())),
                    DocumentLimits.defaults())) {
                assertThat(doc.pageCount()).as(d.file()).isEqualTo(DocumentSet.PAGES);
                for (int p = 1; p <= doc.pageCount(); p++) {
                    String layer = doc.textLayer(p).text();
                    if (d.kind() == DocumentSet.Kind.TEXT_LAYER_PDF) {
                        assertThat(doc.textLayer(p).sane()).isTrue();
                        assertThat(new TextAccuracy().add(d.pages().get(p - 1), layer).characterErrorRate())
                                .as("text layer CER, page %d", p).isEqualTo(0.0);
                    } else {
                        assertThat(layer).as("%s has no text layer", d.file()).isEmpty();
                    }
                }
            }
        }
    }

    /**
     * The project's OCR (the {@code text} task's detector, angle classifier and recognizer, in this process) and
     * Tesseract on the same pages in the same run; Tesseract's columns say "not installed" where it is missing,
     * and the project's figures are still measured and held.
     */
    @Test
    void cerPerKindBesideTesseract() throws Exception {
        Tesseract tesseract = Tesseract.defaults();
        // photos also with Sauvola's local threshold, which Tesseract 5 offers for uneven light (not its default)
        Tesseract sauvola = tesseract.withConfig("thresholding_method", "2");
        boolean peer = tesseract.available();
        List<DocumentSet.Document> docs = DocumentSet.write(setFolder(), DocumentSet.SEED);
        Path pages = Files.createDirectories(setFolder().resolve("pages"));
        List<String> rows = new ArrayList<>();
        rows.add("| kind | pages | render or decode s/page | our CER | our s/page | Tesseract CER | Tesseract s/page"
                + " | text layer CER (`textLayer: auto`) | text layer s/page | Tesseract CER, Sauvola |");
        rows.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Map<DocumentSet.Kind, double[]> cers = new EnumMap<>(DocumentSet.Kind.class);
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("document-set-models"));
        try (LoadedModel detector = ModelLoader.load(repo.resolve(TEXT_DETECTOR).dir(), Device.cpu());
                InProcessTextReader ours = new InProcessTextReader(detector, repo)) {
            for (DocumentSet.Document d : docs) {
                Row row = new Row();
                try (DocumentPages doc = DocumentPages.open(Files.readAllBytes(setFolder().resolve(d.file())),
                        DocumentLimits.defaults())) {
                    for (Iterator<Page> it = doc.pages(PageSelection.all()); it.hasNext(); ) {
                        long start = System.nanoTime();
                        Page page = it.next();
                        row.renderNanos += System.nanoTime() - start;
                        assertThat(page.ok()).as(d.file() + " page " + page.number()).isTrue();
                        String truth = d.pages().get(page.number() - 1);
                        start = System.nanoTime();
                        row.ours.add(truth, ours.read(page.image()).fullText());
                        row.ourNanos += System.nanoTime() - start;
                        if (peer) {
                            Path png = pages.resolve(d.kind().label + "-" + page.number() + ".png");
                            ImageIO.write(page.image(), "png", png.toFile());
                            start = System.nanoTime();
                            row.tesseract.add(truth, tesseract.read(png).text());
                            row.tesseractNanos += System.nanoTime() - start;
                            if (d.kind().photo) {
                                row.sauvola.add(truth, sauvola.read(png).text());
                            }
                        }
                        start = System.nanoTime();
                        var layer = doc.textLayer(page.number());
                        row.layerNanos += System.nanoTime() - start;
                        if (layer.sane()) {
                            row.layer.add(truth, layer.text());
                        }
                    }
                }
                int n = row.ours.pairs();
                rows.add(DocumentSet.row(d.kind().label, n, row.renderNanos / 1e9 / n, row.ours.characterErrorRate(),
                        row.ourNanos / 1e9 / n, peer ? row.tesseract.characterErrorRate() : Double.NaN, row.tesseractNanos / 1e9 / n,
                        row.layer.pairs() == 0 ? Double.NaN : row.layer.characterErrorRate(), row.layerNanos / 1e9 / n)
                        + (row.sauvola.pairs() == 0 ? " - |" : String.format(java.util.Locale.ROOT, " %.4f |",
                                row.sauvola.characterErrorRate())));
                cers.put(d.kind(), new double[] {row.ours.characterErrorRate(), peer ? row.tesseract.characterErrorRate() : Double.NaN});
            }
        }
        String table = String.join("\n", rows) + "\n\n" + (peer ? tesseract.version() : "Tesseract not installed") + "\n";
        System.out.println(table);
        Files.writeString(setFolder().resolve("cer.md"), table);
        // Bars a little above what was measured (docs/tasks/documents.md); the truth is what was drawn.
        for (Map.Entry<DocumentSet.Kind, double[]> e : cers.entrySet()) {
            assertThat(e.getValue()[0]).as("our CER on %s", e.getKey().label).isLessThan(OUR_CER_BARS.get(e.getKey()));
        }
        if (peer) {
            assertThat(cers.get(DocumentSet.Kind.SCAN_PDF)[1]).as("Tesseract CER on the clean scan").isLessThan(0.05);
        }
    }

    /** The text detector whose card names the recognizer and angle classifier the text task reads with. */
    static final String TEXT_DETECTOR = "ppocr-v4-det";

    /**
     * Per kind, the bar our CER is held under: a little above what was measured on 2026-12-07 after the
     * angle check, despeckling and space gaps (docs/tasks/documents.md): 0 on every kind but the clean scan
     * (one character, "0ct" for "Oct") and the shared phone photo.
     */
    static final Map<DocumentSet.Kind, Double> OUR_CER_BARS = Map.of(
            DocumentSet.Kind.SCAN_PDF, 0.005, DocumentSet.Kind.TEXT_LAYER_PDF, 0.005, DocumentSet.Kind.FAX_TIFF, 0.005,
            DocumentSet.Kind.GREY_TIFF, 0.005, DocumentSet.Kind.ROTATED_SCAN_PDF, 0.005, DocumentSet.Kind.FAX_STANDARD_TIFF, 0.005,
            DocumentSet.Kind.PHOTO_PDF, 0.005, DocumentSet.Kind.PHOTO_SHARED_PDF, 0.08);

    /** One kind's sums. */
    private static final class Row {
        final TextAccuracy ours = new TextAccuracy();
        final TextAccuracy tesseract = new TextAccuracy();
        final TextAccuracy sauvola = new TextAccuracy();
        final TextAccuracy layer = new TextAccuracy();
        long renderNanos;
        long ourNanos;
        long tesseractNanos;
        long layerNanos;
    }
}
