package io.imageworker.training.text;

import io.imageworker.imaging.ImageDecoder;
import io.imageworker.imaging.ImageException;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.text.Quad;
import io.imageworker.tasks.text.TextLine;
import io.imageworker.tasks.text.TextReader;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.Region;
import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.metrics.TextSet;
import io.imageworker.training.peers.Tesseract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A text detector with the companions its card names, read as the {@code text} task reads, on the
 * text evaluation set the application carries ({@code datasets/text}: 80 rendered images and 2 real
 * pages with per-line ground truth). When Tesseract is installed it reads the same images in the
 * same run and its figures are returned beside ours ({@code tesseract-*}), scored by the same code.
 * A recognizer or angle classifier alone is measured through the detector that names it.
 */
public final class TextEvaluation implements ModelEvaluation {

    private static final Logger LOG = Logger.getLogger(TextEvaluation.class);

    /** The shared instance (ServiceLoader makes its own). */
    public static final TextEvaluation INSTANCE = new TextEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "text";

    /** {@link TextSet.Image#source()} of the rendered images. */
    static final String GENERATED = "generated";
    /** {@link TextSet.Image#source()} of the real pages. */
    static final String THIRD_PARTY = "third-party";

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public TextEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    /**
     * {@code cer-textset} and on its subsets ({@code -clean}, {@code -degraded}, {@code -third-party}),
     * {@code word-accuracy-textset},
     * {@code line-precision-textset} and {@code line-recall-textset} (polygon IoU >= 0.5), and the
     * same for Tesseract when it is installed.
     *
     * @throws IllegalArgumentException for a card that is not a text detector (a companion)
     */
    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel detector, int limit) throws IOException {
        // Without a repository, the companions are looked up where the built-in models are.
        return evaluate(detector, io.imageworker.models.ModelRepository.open(io.imageworker.models.ModelRepository.CLASSPATH,
                Files.createTempDirectory("text-evaluation")), limit);
    }

    /** As above, the companions resolved in {@code repository}. */
    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel detector, io.imageworker.models.ModelRepository repository, int limit)
            throws IOException {
        TextSet set = TextSet.bundled();
        List<TextSet.Image> images = limit > 0 ? set.images().subList(0, Math.min(limit, set.images().size())) : set.images();
        List<String> read = new ArrayList<>();
        List<List<TextLine>> lines = new ArrayList<>();
        try (InProcessTextReader reader = new InProcessTextReader(detector, repository)) {
            ImageDecoder decoder = new ImageDecoder(40_000_000L);
            for (TextSet.Image im : images) {
                TextReader.Result r = reader.read(decoder.decode(bytes(im)));
                read.add(r.fullText());
                lines.add(r.lines());
            }
        } catch (ImageException e) {
            throw new IOException("model " + detector.card().id() + " failed on the text evaluation set: " + e.getMessage(), e);
        }
        String data = "text evaluation set datasets/text v" + set.version() + " (" + images.size()
                + " images: rendered with Debian fonts, clean and degraded, and 2 real pages), page text in reading order";
        List<ModelCard.Metric> out = new ArrayList<>(score(images, read, lines, "", data));
        Tesseract tesseract = Tesseract.defaults();
        if (tesseract.available()) {
            out.addAll(peer(tesseract, images, data));
        } else {
            LOG.infof("Tesseract is not installed: the text evaluation runs without its peer (apt-get install tesseract-ocr tesseract-ocr-eng)");
        }
        return out;
    }

    private static List<ModelCard.Metric> peer(Tesseract tesseract, List<TextSet.Image> images, String data) throws IOException {
        Path dir = Files.createTempDirectory("textset-peer");
        List<String> read = new ArrayList<>();
        List<List<TextLine>> lines = new ArrayList<>();
        try {
            for (TextSet.Image im : images) {
                Path file = dir.resolve(im.file().replace('/', '_'));
                Files.write(file, bytes(im));
                Tesseract.Page page = tesseract.read(file);
                read.add(page.text());
                List<TextLine> ls = new ArrayList<>();
                for (Tesseract.Line l : page.lines()) {
                    Region b = l.box();
                    ls.add(new TextLine(new Quad(b.xs(), b.ys()), l.text(), l.confidence()));
                }
                lines.add(ls);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        return score(images, read, lines, "tesseract-", data + "; peer: Tesseract " + tesseract.version()
                + " (eng, --psm 3) on the same images in the same run");
    }

    /** The metrics of one reader's output, named with {@code prefix}. */
    private static List<ModelCard.Metric> score(List<TextSet.Image> images, List<String> read, List<List<TextLine>> lines,
            String prefix, String data) {
        TextAccuracy all = new TextAccuracy();
        TextAccuracy clean = new TextAccuracy();
        TextAccuracy degraded = new TextAccuracy();
        TextAccuracy thirdParty = new TextAccuracy();
        DetectionEvaluation polygons = new DetectionEvaluation(0.5, DetectionEvaluation.Overlap.REGION);
        for (int i = 0; i < images.size(); i++) {
            TextSet.Image im = images.get(i);
            all.add(im.text(), read.get(i));
            if (im.clean()) {
                clean.add(im.text(), read.get(i));
            } else if (GENERATED.equals(im.source())) {
                degraded.add(im.text(), read.get(i));
            }
            if (THIRD_PARTY.equals(im.source())) {
                thirdParty.add(im.text(), read.get(i));
            }
            List<DetectionEvaluation.Truth> truths = im.lines().stream()
                    .map(l -> new DetectionEvaluation.Truth(l.region(), l.difficult())).toList();
            List<DetectionEvaluation.Detection> found = new ArrayList<>();
            for (TextLine l : lines.get(i)) {
                Quad q = l.quad();
                found.add(new DetectionEvaluation.Detection(Region.polygon(q.x()[0], q.y()[0], q.x()[1], q.y()[1], q.x()[2],
                        q.y()[2], q.x()[3], q.y()[3]), l.confidence()));
            }
            polygons.add(truths, found);
        }
        DetectionEvaluation.Counts p = polygons.at(Double.NEGATIVE_INFINITY);
        List<ModelCard.Metric> out = new ArrayList<>();
        out.add(new ModelCard.Metric(prefix + "cer-textset", round(all.characterErrorRate()), data + "; lower is better", null));
        out.add(new ModelCard.Metric(prefix + "cer-textset-clean", round(clean.characterErrorRate()),
                "the clean rendered images of the set; lower is better", null));
        out.add(new ModelCard.Metric(prefix + "cer-textset-degraded", round(degraded.characterErrorRate()),
                "the rendered images of the set that are rotated, blurred, low-quality JPEG, on photo backgrounds or in"
                        + " several blocks; lower is better", null));
        out.add(new ModelCard.Metric(prefix + "cer-textset-third-party", round(thirdParty.characterErrorRate()),
                "the 2 real pages of the set (scikit-image's page.png and bw_text.png, transcribed by hand); lower is better",
                null));
        out.add(new ModelCard.Metric(prefix + "word-accuracy-textset", round(all.wordAccuracy()), data, null));
        out.add(new ModelCard.Metric(prefix + "line-precision-textset", round(p.precision()), data + ", polygon IoU >= 0.5", null));
        out.add(new ModelCard.Metric(prefix + "line-recall-textset", round(p.recall()), data + ", polygon IoU >= 0.5", null));
        return out;
    }

    private static byte[] bytes(TextSet.Image im) throws IOException {
        try (InputStream in = TextEvaluation.class.getResourceAsStream(TextSet.BUNDLED + "images/" + im.file())) {
            if (in == null) {
                throw new IOException("the application does not carry " + TextSet.BUNDLED + "images/" + im.file());
            }
            return in.readAllBytes();
        }
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
