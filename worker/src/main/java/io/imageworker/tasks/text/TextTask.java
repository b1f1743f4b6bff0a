package io.imageworker.tasks.text;

import io.imageworker.documents.TextLayer;
import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Png;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.tasks.ReadsDocuments;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.SubsamplesInput;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.ReportsSection;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code text} (TEXT_DETECTION): the text of each image, read with PP-OCRv4 ({@link TextReader}):
 * blocks in reading order, each with its lines; every block and line with its polygon (4 points,
 * input pixels, clockwise from the top-left), text and confidence; the full text (rows joined by a
 * newline, blocks by a blank line); an overlay PNG ({@code overlay}) with the boxes drawn.
 * The job's model is the detector; its card names the recognizer and the angle classifier as
 * companions. Options: {@code minConfidence} (0..1, default the recognizer card's, 0.5): lines read
 * with less are dropped; {@code maxLines} (at least 1, default {@value TextReader.Settings#DEFAULT_MAX_LINES}):
 * the most confident lines kept; {@code layout} ({@value #LINES} or {@value #WORDS}, default
 * {@value #LINES}): with {@value #WORDS} every line also carries its {@code words}, each with its
 * polygon, text, confidence and {@code symbols} (each with polygon, text and confidence), placed from
 * the recognizer's time steps ({@link LineWords}).
 *
 * <p>It answers Cloud Vision's TEXT_DETECTION and DOCUMENT_TEXT_DETECTION alike, with words
 * ({@link VisionText}): Cloud Vision gives both the same hierarchy (pages, blocks, paragraphs, words,
 * symbols) and differs by the model it runs, which here is one.
 */
@Singleton
public final class TextTask implements ServesModels, SubsamplesInput, VisionAnswer, ReportsSection, ReadsDocuments {

    private static final Logger LOG = Logger.getLogger(TextTask.class);

    /** Companion role of the recognizer. */
    public static final String RECOGNIZER = "recognizer";
    /** Companion role of the angle classifier (optional). */
    public static final String ANGLE_CLASSIFIER = "angle-classifier";
    /** The job option choosing how deep the result goes. */
    public static final String LAYOUT = "layout";
    /** {@link #LAYOUT}: blocks and lines (the default). */
    public static final String LINES = "lines";
    /** {@link #LAYOUT}: blocks, lines, and each line's words with their symbols. */
    public static final String WORDS = "words";

    @Override
    public String task() {
        return "text";
    }

    @Override
    public String defaultModel() {
        return "ppocr-v4-det";
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return TextTranslators.forCard(card);
    }

    /**
     * A zero image of the size the model sees in real work, for the warm-up that times batch sizes
     * and threads on it: the detector at the input of a 4:3 photo within its {@code maxSide}
     * (960x736), the recognizer at PaddleOCR's nominal line (48x320, {@code rec_image_shape}), the
     * classifier at its card's size (48x192). A smaller sample would time calls far cheaper than
     * real ones and choose batches that do not pay on real inputs.
     */
    @Override
    public Object sampleInput(ModelCard card) {
        ModelCard.Input in = card.input();
        int c = in.channels();
        int h;
        int w;
        if (TextTranslators.DETECTOR.equals(card.architecture())) {
            int[] size = TextReader.detectorSize(4000, 3000, (int) card.taskOption("maxSide", 960),
                    (int) card.taskOption("sizeMultiple", 32));
            w = size[0];
            h = size[1];
        } else {
            h = in.height() > 0 ? in.height() : 48;
            w = in.width() > 0 ? in.width() : 320;
        }
        return new ImageTensor(new float[c * h * w], c, h, w);
    }

    /**
     * Twice the detector's {@code maxSide} (1920 px by default): the detector sees at most
     * {@code maxSide}, but lines are cut from the decoded image for the recognizer, and small text
     * needs more pixels than the detector does (a line 30 px high in a 4032 px photo keeps 15 px at
     * 2016, 7 px at 1008). A strip or a roll keeps at least a quarter of this across
     * ({@link io.imageworker.imaging.ImageDecoder#subsampling}) and is tiled for the detector
     * ({@link DetectorTiles}).
     */
    @Override
    public int inputSide(JobPlan plan) {
        ServedModel<?, ?> model = plan.model();
        return 2 * (int) (model == null ? 960 : model.card().taskOption("maxSide", 960));
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        validateModel(model.card(), job.jobId());
        validateOptions(job.options(), job.jobId());
    }

    /** Rejects ({@code unknown-model}) a card that is not a text detector naming its recognizer. */
    static void validateModel(ModelCard card, String jobId) throws Rejection.Exception {
        if (!TextTranslators.DETECTOR.equals(card.architecture())) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, "task text runs a text detector (architecture "
                    + TextTranslators.DETECTOR + "); model " + card.id() + " is a " + card.architecture(), jobId);
        }
        if (card.companions() == null || !card.companions().containsKey(RECOGNIZER)) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, "model " + card.id()
                    + " names no companion '" + RECOGNIZER + "' to read the text it finds", jobId);
        }
    }

    /**
     * Rejects ({@code invalid-job}) a {@code minConfidence} that is not a number in [0, 1], a
     * {@code maxLines} that is not a whole number of at least 1, a {@code pages} that is not a list of
     * non-zero page numbers, a {@code layout} other than {@value #LINES} or {@value #WORDS}, and a
     * {@code textLayer} other than {@value #OCR} or {@value #AUTO}.
     */
    static void validateOptions(JsonNode options, String jobId) throws Rejection.Exception {
        JsonNode min = options.path("minConfidence");
        if (!min.isMissingNode() && (!min.isNumber() || min.asDouble() < 0 || min.asDouble() > 1)) {
            throw Rejection.exception(Rejection.INVALID_JOB, "options.minConfidence must be a number from 0 to 1, not "
                    + min, jobId);
        }
        JsonNode max = options.path("maxLines");
        if (!max.isMissingNode() && (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 1)) {
            throw Rejection.exception(Rejection.INVALID_JOB, "options.maxLines must be a whole number of at least 1, not "
                    + max, jobId);
        }
        JsonNode layout = options.path(LAYOUT);
        if (!layout.isMissingNode() && !(layout.isTextual() && (LINES.equals(layout.asText()) || WORDS.equals(layout.asText())))) {
            throw Rejection.exception(Rejection.INVALID_JOB, "options.layout must be \"" + LINES + "\" or \"" + WORDS
                    + "\", not " + layout, jobId);
        }
        JsonNode layer = options.path(TEXT_LAYER);
        if (!layer.isMissingNode() && !(layer.isTextual() && (OCR.equals(layer.asText()) || AUTO.equals(layer.asText())))) {
            throw Rejection.exception(Rejection.INVALID_JOB, "options." + TEXT_LAYER + " must be \"" + OCR + "\" or \"" + AUTO
                    + "\", not " + layer, jobId);
        }
        JsonNode pages = options.path("pages");
        if (!pages.isMissingNode()) {
            boolean ok = pages.isArray();
            for (JsonNode p : pages) {
                ok &= p.isIntegralNumber() && p.canConvertToInt() && p.asInt() != 0;
            }
            if (!ok) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.pages must be a list of page numbers (from 1, "
                        + "negative from the end), not " + pages, jobId);
            }
        }
    }

    /** The settings of a job: the cards' defaults with the job's {@code minConfidence} and {@code maxLines}. */
    static TextReader.Settings settings(ModelCard detector, ModelCard recognizer, ModelCard angle, JsonNode options) {
        TextReader.Settings s = TextReader.Settings.of(detector, recognizer, angle);
        return s.with(options.path("minConfidence").asDouble(s.minConfidence()),
                options.path("maxLines").asInt(s.maxLines()));
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, ProbabilityMap> detector = work.model();
        ServedModel<ImageTensor, CtcDecoder.Steps> recognizer = detector.companion(RECOGNIZER);
        ModelCard card = detector.card();
        ServedModel<ImageTensor, float[]> angle = card.companions().containsKey(ANGLE_CLASSIFIER)
                ? detector.companion(ANGLE_CLASSIFIER) : null;
        int priority = work.priority();
        TextReader reader = new TextReader(t -> detector.infer(t, priority), card.input().spec(),
                angle == null ? null : t -> angle.infer(t, priority), angle == null ? null : angle.card().input().spec(),
                t -> recognizer.infer(t, priority), recognizer.card().input().spec(), recognizer.card().labels(),
                work.cpu());
        TextReader.Settings settings = settings(card, recognizer.card(), angle == null ? null : angle.card(),
                work.plan().job().options());
        return reader.read(image, settings).thenComposeAsync(result -> {
            if (LOG.isDebugEnabled()) {
                LOG.debugf("text item %d of job %s: %s", work.input().index(), work.plan().job().jobId(),
                        describe(result.timings()));
            }
            return succeeded(work, image, result, null);
        }, work.cpu());
    }

    /**
     * A PDF page's text layer as the item's text, in OCR's shape ({@link TextLayerLines}; blocks by
     * {@link ReadingOrder}), with {@code source} {@code "text-layer"} and the same overlay; no model is called.
     */
    @Override
    public CompletableFuture<ItemResult> readTextLayer(ItemWork work, BufferedImage page, TextLayer.Text layer) {
        return CompletableFuture.supplyAsync(() -> {
            List<TextBlock> blocks = ReadingOrder.blocks(TextLayerLines.lines(layer));
            return new TextReader.Result(blocks, ReadingOrder.fullText(blocks), null);
        }, work.cpu()).thenCompose(result -> succeeded(work, page, result, "text-layer"));
    }

    /** Writes the overlay and gives the item's result; {@code source} is said in the text when not null. */
    private static CompletableFuture<ItemResult> succeeded(ItemWork work, BufferedImage image, TextReader.Result result,
            String source) {
        byte[] png = Png.encode(TextOverlay.draw(image, result.blocks()));
        return work.artifacts().write(ArtifactWriter.itemKey(work.input().index(), "overlay.png"), png, "image/png")
                .thenApply(uri -> {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    boolean words = WORDS.equals(work.plan().job().options().path(LAYOUT).asText(LINES));
                    Map<String, Object> text = json(result, work.subsampling(), words);
                    if (source != null) {
                        text.put("source", source);
                    }
                    extra.put("text", text);
                    return Items.succeeded(work, image, null, Map.of("overlay", uri), extra);
                });
    }

    /**
     * The item's {@code text} field: {@code fullText} and {@code blocks}, each with its {@code lines},
     * with {@code words} each line's {@code words} and their {@code symbols}; polygons in input pixels
     * (decoded pixels times {@code subsampling}).
     */
    static Map<String, Object> json(TextReader.Result result, int subsampling, boolean words) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (TextBlock b : result.blocks()) {
            List<Map<String, Object>> lines = new ArrayList<>();
            for (TextLine l : b.lines()) {
                Map<String, Object> line = region(l.quad(), l.text(), l.confidence(), subsampling);
                if (words) {
                    List<Map<String, Object>> ws = new ArrayList<>();
                    for (TextWord w : l.words()) {
                        Map<String, Object> word = region(w.quad(), w.text(), w.confidence(), subsampling);
                        word.put("symbols", w.symbols().stream()
                                .map(y -> region(y.quad(), y.text(), y.confidence(), subsampling)).toList());
                        ws.add(word);
                    }
                    line.put("words", ws);
                }
                lines.add(line);
            }
            Map<String, Object> block = region(b.quad(), b.text(), b.confidence(), subsampling);
            block.put("lines", lines);
            blocks.add(block);
        }
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("fullText", result.fullText());
        text.put("blocks", blocks);
        return text;
    }

    private static Map<String, Object> region(Quad quad, String text, double confidence, int subsampling) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("polygon", quad.points(subsampling));
        m.put("text", text);
        m.put("confidence", Items.round(confidence));
        return m;
    }

    /** TEXT_DETECTION. */
    @Override
    public String visionFeature() {
        return "TEXT_DETECTION";
    }

    /** TEXT_DETECTION and DOCUMENT_TEXT_DETECTION, answered alike (see the class comment). */
    @Override
    public List<String> visionFeatures() {
        return List.of("TEXT_DETECTION", "DOCUMENT_TEXT_DETECTION");
    }

    /**
     * {@code layout} {@value #WORDS} (Cloud Vision answers with words), and {@code maxLines}:
     * {@code maxResults} when given (Cloud Vision itself ignores it for text).
     */
    @Override
    public ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put(LAYOUT, WORDS);
        return maxResults > 0 ? o.put("maxLines", maxResults) : o;
    }

    /** {@code textAnnotations} and {@code fullTextAnnotation}: see {@link VisionText}. */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        return VisionText.annotation(item);
    }

    /** The full text, then a table of the blocks: text and confidence (the overlay shows where they are). */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("text"), item -> {
            JsonNode text = item.path("text");
            List<List<String>> rows = new ArrayList<>();
            int n = 1;
            for (JsonNode b : text.path("blocks")) {
                rows.add(List.of(Integer.toString(n++), "<pre>" + Html.esc(b.path("text").asText()) + "</pre>",
                        Html.score(b.path("confidence")), Integer.toString(b.path("lines").size())));
            }
            String full = text.path("fullText").asText();
            return (full.isEmpty() ? "<p>no text found</p>" : "<pre class=\"text\">" + Html.esc(full) + "</pre>")
                    + (rows.isEmpty() ? "" : Html.table(List.of("block", "text", "confidence", "lines"), rows));
        });
    }

    /** For logs: the stage times of one read. */
    static String describe(TextReader.Timings t) {
        return String.format(Locale.ROOT, "det %.1f ms, cls %.1f ms, rec %.1f ms, geometry %.1f ms, %d regions",
                t.detectMs(), t.classifyMs(), t.recognizeMs(), t.geometryMs(), t.regions());
    }
}
