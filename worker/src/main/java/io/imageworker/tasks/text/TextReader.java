package io.imageworker.tasks.text;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.ModelCard;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.opencv.core.Mat;

/**
 * Reads the text of one image with PP-OCR's three models, as PaddleOCR's {@code TextSystem}
 * (tools/infer/predict_system.py) does:
 * <ol>
 *   <li>detection: the image resized (no padding) so that each side is a multiple of
 *       {@code sizeMultiple} (32) and the longer at most {@code maxSide} (960; smaller images are
 *       not enlarged), one probability map, {@link DbPostProcessor}; an image longer than
 *       {@code maxSide} and more than 3 times its short side (a strip, a tall roll) is instead
 *       seen in overlapping tiles along its long side whose maps are stitched into one
 *       ({@link DetectorTiles}), so that its short side is not crushed;</li>
 *   <li>each region, grown by {@code cropMargin} of its height on every side but never more than
 *       half way to a region beside it (PaddleOCR adds no margin; see {@link Crops#DEFAULT_MARGIN}
 *       and {@link Crops#growApart}), cut from the original image ({@link Crops#crop});</li>
 *   <li>the angle classifier, when there is one: a line it calls {@code 180} with probability
 *       above {@code rotateThreshold} (0.9) is turned 180 degrees (a line more than 12 times as
 *       wide as high: the mean over windows of it, {@link #angleWindows}); a turned line is
 *       read both ways and the reading the recognizer is surer of is kept ({@link #readsBetter}):
 *       the classifier squeezes a line into its 192 px, and called upright lines of a crooked scan
 *       11 times as wide as high upside down with p above 0.9, which were then read as nothing
 *       and lost (PaddleOCR trusts the classifier alone);</li>
 *   <li>recognition: each line at height 48, its width proportional, rounded to a multiple of
 *       {@code widthMultiple} (8) by resizing, so lines of equal width can share a batch;
 *       {@link CtcDecoder}, which keeps each symbol's time steps: each line's words and symbols are
 *       placed from them ({@link LineWords});</li>
 *   <li>lines under {@code minConfidence} (0.5) or with no text dropped, the {@code maxLines} most
 *       confident kept, then grouped and ordered by {@link ReadingOrder}.</li>
 * </ol>
 * Models are reached through functions (a served model's batcher, or a predictor in tests); the
 * geometry runs on {@code cpu}.
 */
public final class TextReader {

    /**
     * The reader's parameters.
     *
     * @param db the detector's post-processing
     * @param maxSide longest side of the detector input, pixels
     * @param sizeMultiple the detector input's sides are multiples of this, pixels
     * @param rotateThreshold probability of {@code 180} above which a line is turned
     * @param widthMultiple recognizer input widths are multiples of this, pixels
     * @param minConfidence lines read with a lower confidence are dropped, in [0, 1]
     * @param maxLines most lines kept (the most confident), at least 1
     * @param cropMargin margin added around each box before it is cut out, in box heights ({@link Crops#grow})
     */
    public record Settings(DbPostProcessor.Params db, int maxSide, int sizeMultiple, double rotateThreshold,
            int widthMultiple, double minConfidence, int maxLines, double cropMargin) {

        /** Most lines kept when a job sets no {@code maxLines}: PaddleOCR's {@code max_candidates}. */
        public static final int DEFAULT_MAX_LINES = 1000;

        /**
         * The settings the three cards carry as options (PaddleOCR's defaults where a card names
         * none; see each card's {@code options.source}); {@code angle} may be null.
         */
        public static Settings of(ModelCard detector, ModelCard recognizer, ModelCard angle) {
            DbPostProcessor.Params d = DbPostProcessor.Params.PADDLE;
            DbPostProcessor.Params db = new DbPostProcessor.Params(
                    detector.taskOption("binaryThreshold", d.binaryThreshold()),
                    detector.taskOption("boxThreshold", d.boxThreshold()),
                    detector.taskOption("unclipRatio", d.unclipRatio()),
                    (int) detector.taskOption("maxCandidates", d.maxCandidates()),
                    (int) detector.taskOption("minSize", d.minSize()));
            return new Settings(db, (int) detector.taskOption("maxSide", 960), (int) detector.taskOption("sizeMultiple", 32),
                    angle == null ? 0.9 : angle.taskOption("rotateThreshold", 0.9),
                    (int) recognizer.taskOption("widthMultiple", 8), recognizer.taskOption("minConfidence", 0.5),
                    DEFAULT_MAX_LINES, detector.taskOption("cropMargin", Crops.DEFAULT_MARGIN));
        }

        /** These settings with a job's {@code minConfidence} and {@code maxLines}. */
        public Settings with(double newMinConfidence, int newMaxLines) {
            return new Settings(db, maxSide, sizeMultiple, rotateThreshold, widthMultiple, newMinConfidence, newMaxLines,
                    cropMargin);
        }
    }

    /**
     * Wall time of each stage as the item saw it (waiting in a model's queue included).
     *
     * @param detectMs the detector call, milliseconds
     * @param classifyMs all angle classifier calls, from the first submitted to the last done, milliseconds (0 without one)
     * @param recognizeMs all recognizer calls, likewise, milliseconds
     * @param geometryMs DB post-processing, crops, decoding and reading order on the CPU, milliseconds
     * @param regions regions the detector found (lines recognized)
     */
    public record Timings(double detectMs, double classifyMs, double recognizeMs, double geometryMs, int regions) {}

    /**
     * What was read.
     *
     * @param blocks in reading order
     * @param fullText the blocks' text joined by {@link ReadingOrder#BLOCK_SEPARATOR}
     * @param timings per stage
     */
    public record Result(List<TextBlock> blocks, String fullText, Timings timings) {

        /** Every line, in reading order. */
        public List<TextLine> lines() {
            return blocks.stream().flatMap(b -> b.lines().stream()).toList();
        }
    }

    /** A model: one preprocessed input to its future output. */
    public interface Stage<O> extends Function<ImageTensor, CompletableFuture<O>> {}

    private final Stage<ProbabilityMap> detector;
    private final Preprocessor.Spec detectorSpec;
    private final Stage<float[]> angle;
    private final Preprocessor.Spec angleSpec;
    private final Stage<CtcDecoder.Steps> recognizer;
    private final Preprocessor.Spec recognizerSpec;
    private final List<String> dictionary;
    private final Executor cpu;

    /**
     * @param detector the DB detector
     * @param detectorSpec its input (normalisation, colour order; the size is set per image)
     * @param angle the angle classifier, or null to read every line as it lies
     * @param angleSpec its input: height and the width it pads to (48 x 192), normalisation; null without one
     * @param recognizer the CTC recognizer
     * @param recognizerSpec its input: the height (48) and normalisation; the width is set per line
     * @param dictionary the recognizer's symbols, class {@code i} is symbol {@code i - 1}
     * @param cpu where post-processing runs
     */
    public TextReader(Stage<ProbabilityMap> detector, Preprocessor.Spec detectorSpec, Stage<float[]> angle,
            Preprocessor.Spec angleSpec, Stage<CtcDecoder.Steps> recognizer, Preprocessor.Spec recognizerSpec,
            List<String> dictionary, Executor cpu) {
        this.detector = detector;
        this.detectorSpec = detectorSpec;
        this.angle = angle;
        this.angleSpec = angleSpec;
        this.recognizer = recognizer;
        this.recognizerSpec = recognizerSpec;
        this.dictionary = List.copyOf(dictionary);
        this.cpu = cpu;
    }

    /**
     * The detector input's size for an image of {@code width x height}: {width, height}, scaled so
     * the longer side is at most {@code maxSide} (never enlarged), each side rounded to the nearest
     * multiple of {@code multiple} (at least one multiple, at most {@code maxSide} rounded down), as
     * PaddleOCR's {@code DetResizeForTest} with {@code limit_type max}.
     */
    public static int[] detectorSize(int width, int height, int maxSide, int multiple) {
        double scale = Math.min(1.0, maxSide / (double) Math.max(width, height));
        int cap = Math.max(multiple, maxSide / multiple * multiple);
        int w = Math.min(cap, Math.max(multiple, (int) Math.round(width * scale / multiple) * multiple));
        int h = Math.min(cap, Math.max(multiple, (int) Math.round(height * scale / multiple) * multiple));
        return new int[] {w, h};
    }

    /** Reads {@code image}; the future fails with a model's error. */
    public CompletableFuture<Result> read(BufferedImage image, Settings s) {
        BufferedImage rgb = Preprocessor.flatten(image);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        DetectorTiles.Plan plan = DetectorTiles.plan(w, h, s.maxSide(), s.sizeMultiple());
        List<CompletableFuture<ProbabilityMap>> maps = new ArrayList<>(plan.tiles());
        Preprocessor.Spec tileSpec = detectorSpec.withSize(plan.tileWidth(), plan.tileHeight());
        long start = System.nanoTime();
        for (BufferedImage tile : plan.tiles() == 1 ? List.of(rgb) : DetectorTiles.cut(rgb, plan)) {
            maps.add(detector.apply(Preprocessor.toTensor(tile, tileSpec)));
        }
        return CompletableFuture.allOf(maps.toArray(CompletableFuture[]::new)).thenComposeAsync(v0 -> {
            long detected = System.nanoTime();
            ProbabilityMap map = DetectorTiles.stitch(maps.stream().map(CompletableFuture::join).toList(), plan);
            List<DbPostProcessor.Detection> found = new ArrayList<>(DbPostProcessor.detect(map, w, h, s.db()));
            found.sort(DbPostProcessor.TOP_DOWN);
            List<BufferedImage> crops = new ArrayList<>(found.size());
            List<Quad> grown = Crops.growApart(found.stream().map(DbPostProcessor.Detection::quad).toList(), s.cropMargin(), w, h);
            Mat whole = Crops.toMat(rgb);
            try {
                for (Quad q : grown) {
                    crops.add(Crops.crop(whole, q));
                }
            } finally {
                whole.release();
            }
            double geometry = ms(System.nanoTime() - detected);
            return upright(crops, s).thenComposeAsync(turned -> {
                long classified = System.nanoTime();
                List<CompletableFuture<CtcDecoder.Steps>> reads = new ArrayList<>();
                List<CompletableFuture<CtcDecoder.Steps>> asCut = new ArrayList<>();
                List<CompletableFuture<CtcDecoder.Steps>> all = new ArrayList<>();
                for (int i = 0; i < crops.size(); i++) {
                    reads.add(recognizer.apply(recognizerInput(turned.crops().get(i), s.widthMultiple())));
                    // a turned line is also read as it was cut: the recognizer checks the classifier
                    asCut.add(turned.flipped()[i] ? recognizer.apply(recognizerInput(crops.get(i), s.widthMultiple())) : null);
                    all.add(reads.get(i));
                    if (asCut.get(i) != null) {
                        all.add(asCut.get(i));
                    }
                }
                return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
                    long recognized = System.nanoTime();
                    List<TextLine> lines = new ArrayList<>();
                    for (int i = 0; i < found.size(); i++) {
                        CtcDecoder.Spans text = CtcDecoder.spans(reads.get(i).join(), dictionary);
                        boolean flipped = turned.flipped()[i];
                        if (flipped) {
                            CtcDecoder.Spans uncut = CtcDecoder.spans(asCut.get(i).join(), dictionary);
                            if (readsBetter(uncut, text)) {
                                text = uncut;
                                flipped = false;
                            }
                        }
                        Quad quad = found.get(i).quad();
                        LineWords.Frame frame = LineWords.Frame.of(quad, grown.get(i), flipped);
                        text = SpaceGaps.restore(text, flipped ? turned.crops().get(i) : crops.get(i),
                                frame.line().height() / Math.max(1e-9, frame.crop().height()));
                        String t = text.text().strip();
                        if (!t.isEmpty() && text.confidence() >= s.minConfidence()) {
                            lines.add(new TextLine(quad, t, text.confidence(), LineWords.words(text, frame)));
                        }
                    }
                    if (lines.size() > s.maxLines()) {
                        lines.sort(Comparator.comparingDouble(TextLine::confidence).reversed());
                        lines = new ArrayList<>(lines.subList(0, s.maxLines()));
                    }
                    List<TextBlock> blocks = ReadingOrder.blocks(lines);
                    Timings t = new Timings(ms(detected - start), turned.ms(), ms(recognized - classified),
                            Math.round((geometry + ms(System.nanoTime() - recognized)) * 100) / 100.0, found.size());
                    return new Result(blocks, ReadingOrder.fullText(blocks), t);
                }, cpu);
            }, cpu);
        }, cpu);
    }

    /**
     * Whether reading {@code a} is to be kept over {@code b}, the same line read the other way up: text
     * read before none, then the higher confidence (a line read upside down is read, if at all, with a
     * confidence far below an upright one's).
     */
    static boolean readsBetter(CtcDecoder.Spans a, CtcDecoder.Spans b) {
        boolean aText = !a.text().isBlank();
        boolean bText = !b.text().isBlank();
        if (aText != bText) {
            return aText;
        }
        return a.confidence() > b.confidence();
    }

    /** The crops as the recognizer reads them, which of them were turned 180 degrees, and the classifier's time. */
    private record Turned(List<BufferedImage> crops, boolean[] flipped, double ms) {}

    /** The crops, those the angle classifier reads as upside down turned 180 degrees. */
    private CompletableFuture<Turned> upright(List<BufferedImage> crops, Settings s) {
        if (angle == null || crops.isEmpty()) {
            return CompletableFuture.completedFuture(new Turned(crops, new boolean[crops.size()], 0));
        }
        long start = System.nanoTime();
        List<List<CompletableFuture<float[]>>> probs = new ArrayList<>();
        List<CompletableFuture<float[]>> all = new ArrayList<>();
        for (BufferedImage c : crops) {
            List<CompletableFuture<float[]>> one = new ArrayList<>();
            for (BufferedImage window : angleWindows(c)) {
                one.add(angle.apply(angleInput(window)));
            }
            probs.add(one);
            all.addAll(one);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<BufferedImage> out = new ArrayList<>(crops.size());
            boolean[] flipped = new boolean[crops.size()];
            for (int i = 0; i < crops.size(); i++) {
                double p180 = probs.get(i).stream().map(CompletableFuture::join).mapToDouble(p -> p.length > 1 ? p[1] : 0)
                        .average().orElse(0);
                flipped[i] = p180 > s.rotateThreshold();
                out.add(flipped[i] ? Crops.rotate180(crops.get(i)) : crops.get(i));
            }
            return new Turned(out, flipped, ms(System.nanoTime() - start));
        }, cpu);
    }

    /** Line aspect (width / height) above which the angle classifier sees windows of the line, not all of it squeezed. */
    static final double ANGLE_WINDOW_ASPECT = 12;
    /** Most windows of one line the angle classifier sees. */
    static final int ANGLE_WINDOWS = 5;

    /**
     * What the angle classifier sees of one line: the line itself, or, when it is more than
     * {@value #ANGLE_WINDOW_ASPECT} times as wide as high, up to {@value #ANGLE_WINDOWS} windows at
     * the classifier's own aspect (192 x 48: 4 heights wide) spread evenly along it, whose
     * probabilities of {@code 180} are averaged. Why: the classifier squeezes a line into its 192
     * px (PaddleOCR's {@code ClsResizeImg}); a 2200x41 strip squeezed 12 times called itself upside
     * down with probability 0.96, and was turned and lost, while each window at its own aspect gave 0.00.
     */
    List<BufferedImage> angleWindows(BufferedImage crop) {
        int h = crop.getHeight();
        int w = crop.getWidth();
        int window = (int) Math.round(h * angleSpec.width() / (double) angleSpec.height());
        if (w <= ANGLE_WINDOW_ASPECT * h || window >= w) {
            return List.of(crop);
        }
        int n = Math.min(ANGLE_WINDOWS, w / window);
        List<BufferedImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int x = n == 1 ? 0 : (int) Math.round(i * (w - window) / (double) (n - 1));
            out.add(crop.getSubimage(x, 0, window, h));
        }
        return out;
    }

    /** The classifier's input: the crop at its height, width proportional up to its width, zero-padded on the right. */
    ImageTensor angleInput(BufferedImage crop) {
        int h = angleSpec.height();
        int fullW = angleSpec.width();
        int w = Crops.classifierWidth(crop.getWidth(), crop.getHeight(), h, fullW);
        ImageTensor t = Preprocessor.toTensor(Crops.resize(crop, w, h), angleSpec.withSize(w, h));
        float[] padded = new float[t.channels() * h * fullW];
        for (int c = 0; c < t.channels(); c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(t.data(), (c * h + y) * w, padded, (c * h + y) * fullW, w);
            }
        }
        return new ImageTensor(padded, t.channels(), h, fullW);
    }

    /** The recognizer's input: the line at the spec's height, width proportional, a multiple of {@code multiple}. */
    ImageTensor recognizerInput(BufferedImage line, int multiple) {
        int h = recognizerSpec.height();
        int w = Crops.recognizerWidth(line.getWidth(), line.getHeight(), h, multiple);
        return Preprocessor.toTensor(Crops.resize(line, w, h), recognizerSpec.withSize(w, h));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
