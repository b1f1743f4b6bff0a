package io.imageworker.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.documents.DocumentLimits;
import io.imageworker.documents.DocumentPages;
import io.imageworker.documents.Page;
import io.imageworker.documents.PageSelection;
import io.imageworker.testing.Peers;
import io.imageworker.testing.Repo;
import io.imageworker.training.peers.Tesseract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The documents measurement set (issue 28, section 4), written to {@code tools/target/document-set/}: every
 * document opens with the worker's {@code documents} stage and gives its pages; the text layer of the
 * text-layer PDF reads its text exactly ({@code textLayer: auto}'s goal); and Tesseract, run the way
 * self-hosters run it (each page rendered at 300 dpi, TIFF pages as stored, {@code tesseract PAGE stdout}),
 * gives a CER per kind, printed as the Markdown table of docs/tasks/documents.md and written beside the set
 * as {@code tesseract.md}. The project's own OCR joins the table when documents reach the text task.
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

    @Test
    void tesseractCerPerKindAt300Dpi() throws Exception {
        Tesseract tesseract = Peers.tesseract();
        List<DocumentSet.Document> docs = DocumentSet.write(setFolder(), DocumentSet.SEED);
        Path pages = Files.createDirectories(setFolder().resolve("pages"));
        List<String> rows = new ArrayList<>();
        rows.add("| kind | pages | render or decode s/page | Tesseract CER | Tesseract s/page | text layer CER"
                + " (`textLayer: auto`) | text layer s/page |");
        rows.add("| --- | --- | --- | --- | --- | --- | --- |");
        TextAccuracy all = new TextAccuracy();
        double cleanScanCer = Double.NaN;
        for (DocumentSet.Document d : docs) {
            TextAccuracy cer = new TextAccuracy();
            TextAccuracy layerCer = new TextAccuracy();
            long nanos = 0;
            long layerNanos = 0;
            long renderNanos = 0;
            try (DocumentPages doc = DocumentPages.open(Files.readAllBytes(setFolder().resolve(d.file())),
                    DocumentLimits.defaults())) {
                for (Iterator<Page> it = doc.pages(PageSelection.all()); it.hasNext(); ) {
                    long renderStart = System.nanoTime();
                    Page page = it.next();
                    renderNanos += System.nanoTime() - renderStart;
                    assertThat(page.ok()).as(d.file() + " page " + page.number()).isTrue();
                    Path png = pages.resolve(d.kind().label + "-" + page.number() + ".png");
                    ImageIO.write(page.image(), "png", png.toFile());
                    long start = System.nanoTime();
                    String read = tesseract.read(png).text();
                    nanos += System.nanoTime() - start;
                    cer.add(d.pages().get(page.number() - 1), read);
                    start = System.nanoTime();
                    var layer = doc.textLayer(page.number());
                    layerNanos += System.nanoTime() - start;
                    if (layer.sane()) {
                        layerCer.add(d.pages().get(page.number() - 1), layer.text());
                    }
                    all.add(d.pages().get(page.number() - 1), read);
                }
            }
            rows.add(DocumentSet.row(d.kind().label, cer.pairs(), renderNanos / 1e9 / cer.pairs(), cer.characterErrorRate(),
                    nanos / 1e9 / cer.pairs(), layerCer.pairs() == 0 ? Double.NaN : layerCer.characterErrorRate(),
                    layerNanos / 1e9 / cer.pairs()));
            if (d.kind() == DocumentSet.Kind.SCAN_PDF) {
                cleanScanCer = cer.characterErrorRate();
            }
        }
        String table = String.join("\n", rows) + "\n\n" + tesseract.version() + "; all pages: CER "
                + String.format(java.util.Locale.ROOT, "%.4f", all.characterErrorRate()) + "\n";
        System.out.println(table);
        Files.writeString(setFolder().resolve("tesseract.md"), table);
        // the truth is what was drawn: Tesseract reads a clean 300 dpi page almost exactly
        assertThat(cleanScanCer).as("Tesseract CER on the clean scan").isLessThan(0.05);
        assertThat(all.characterErrorRate()).isLessThan(0.5);
    }
}
