package io.imageworker.tasks.faces;

import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Png;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.Items;
import io.imageworker.tasks.JobPlan;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.SubsamplesInput;
import io.imageworker.tasks.VisionAnswer;
import io.imageworker.tasks.ReportsSection;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code faces} (FACE_DETECTION): every face in the photo with its box, MediaPipe's six keypoints
 * and a score, in input pixels, plus an overlay PNG. BlazeFace (MediaPipe) through ONNX Runtime: the
 * photo is letterboxed (never stretched) into the model's square input, and, when the card asks for
 * it ({@code options.tileGrid}), also cut into overlapping tiles so that small faces in group photos
 * are seen; the detections of all views are merged by MediaPipe's weighted NMS. A job may choose
 * face-api's SSD-MobileNetV1 instead ({@link SsdDecoder}; on MXNet, 512 px, plain NMS, no keypoints:
 * its faces carry an empty {@code keypoints} list).
 *
 * <p>Job options: {@code minScore} (0..1, default the card's {@code options.minScore}, else
 * {@value #DEFAULT_MIN_SCORE}), {@code maxResults} (1 to {@value #MAX_MAX_RESULTS}, default {@value #DEFAULT_MAX_RESULTS}),
 * {@code maxUpscale} (1 to {@value #MAX_MAX_UPSCALE}, default the card's {@code options.maxUpscale}, else
 * {@value #DEFAULT_MAX_UPSCALE}: a photo smaller than the model input is not enlarged, see {@link #DEFAULT_MAX_UPSCALE}).
 * {@code attributes} (boolean, default true): with a detector whose card names the face-api
 * companions ({@value FaceAttributes#LANDMARKS_ROLE}, {@value FaceAttributes#EXPRESSIONS_ROLE}), each
 * face also gets its 68 landmarks and expressions ({@link FaceAttributes}); false skips both models.
 * Item fields: {@code faces} ({@code box {x, y, width, height}}: the detector's box, tight around
 * brows, eyes and mouth; {@code headBox {x, y, width, height}}: the same face framed hairline to chin,
 * cheek to cheek, as face datasets label faces ({@link HeadBox}, mapped from {@code box} by the card's
 * measured mapping, clipped to the photo); {@code keypoints [{type, x, y}]},
 * {@code score}; with attributes also {@code landmarks} (68 {@code [x, y]}, iBUG 300-W order),
 * {@code expressions} (the 7 probabilities by name) and {@code joyLikelihood},
 * {@code sorrowLikelihood}, {@code angerLikelihood}, {@code surpriseLikelihood}; highest score first;
 * in pixels of the input as stored, also when it was decoded subsampled, see {@link #inputSide}) and
 * {@code faceCount}; artifact {@code overlay} (the decoded image with the faces drawn, landmarks
 * and the likeliest expression too).
 */
@Singleton
public final class FacesTask implements ServesModels, SubsamplesInput, VisionAnswer, ReportsSection {

    /** The decoding family this task serves ({@code architecture} of an ONNX card). */
    public static final String ARCHITECTURE = "blazeface";
    /** Card option and job option: lowest score reported. */
    public static final String MIN_SCORE = "minScore";
    /** Job option: most faces reported per item. */
    public static final String MAX_RESULTS = "maxResults";
    /**
     * Card option and job option: most times the whole photo is enlarged to the model input
     * ({@link Letterbox#maxScale}).
     */
    public static final String MAX_UPSCALE = "maxUpscale";
    /** Job option: whether to run the landmark and expression companions on each face (default true). */
    public static final String ATTRIBUTES = "attributes";
    /** Card option: NMS IoU threshold ({@link #nmsIou}). */
    public static final String NMS_IOU = "nmsIou";
    /** Card option: tile grid ({@link FaceFinder.Tiling#grid}); 1 or absent: the whole photo only. */
    public static final String TILE_GRID = "tileGrid";
    /** Card option: tile overlap ({@link FaceFinder.Tiling#overlap}). */
    public static final String TILE_OVERLAP = "tileOverlap";
    /** Card option: largest face a tile may add, model-input pixels of the next coarser view ({@link FaceFinder.Tiling#maxFace}). */
    public static final String TILE_MAX_FACE = "tileMaxFace";
    /** Card option: scale between pyramid levels ({@link FaceFinder.Tiling#zoom}); absent or up to 1: a single level of tiles. */
    public static final String TILE_ZOOM = "tileZoom";
    /** Card option: model-input pixels per photo pixel of the pyramid's finest level ({@link FaceFinder.Tiling#finest}). */
    public static final String TILE_FINEST = "tileFinest";
    /** Card option: most tiles per photo over the pyramid's levels ({@link FaceFinder.Tiling#maxTiles}). */
    public static final String TILE_MAX_TILES = "tileMaxTiles";

    /** Score cut of a card that names none: keijiro's {@code FaceDetector.ProcessImage} default. */
    static final double DEFAULT_MIN_SCORE = 0.75;
    /** Faces per item unless the job asks for fewer or more. */
    static final int DEFAULT_MAX_RESULTS = 100;
    /** Most faces a job may ask for per item (the job schema's maximum). */
    static final int MAX_MAX_RESULTS = 1000;
    /**
     * A photo smaller than the model input is shown to it at its own size on black, never enlarged.
     * Enlarged, a picture has no more detail than before, only larger blurred shapes, and BlazeFace
     * reads faces into them: a 28 px MNIST digit letterboxed into 256 px (9.1 times) gave a face
     * scored 0.75 or more on 155 of the first 1,000 test digits, the same digits enlarged to 112 px by
     * the uploader on 34 of 200, a 48 px dot texture one at 0.96; at their own size, none. Real faces
     * cut out small are found at least as often unenlarged (of 25 faces made 16 px in a 32 px picture,
     * 17 found against 5; 24 px: 21 against 18; 32 px: 22 against 21). Photos of at least the input's
     * size are shrunk as before: the faces evaluation set (AP 0.998) and its collage (AP 1.000) are
     * unchanged (FacesSmallInputStudyTest, docs/tasks/faces.md).
     */
    static final double DEFAULT_MAX_UPSCALE = 1;
    /** Largest {@code maxUpscale} a job may ask for (the job schema's maximum). */
    static final int MAX_MAX_UPSCALE = 64;
    /** Tile overlap of a card that asks for tiles without naming one. */
    static final double DEFAULT_TILE_OVERLAP = 0.25;
    /** Most tiles per photo of a pyramid whose card names no {@value #TILE_MAX_TILES}. */
    static final int DEFAULT_MAX_TILES = 64;
    /** Long side over short side up to which a large photo is read with every pixel its tiles can use. */
    static final double MAX_TILED_ASPECT = 3;

    @Override
    public String task() {
        return "faces";
    }

    @Override
    public String defaultModel() {
        return "blazeface-back-256";
    }

    /**
     * @throws IllegalArgumentException for a card whose architecture is not {@value #ARCHITECTURE}
     *     (nor a face-api landmark or expression network, the detector's companions) or whose input is
     *     not square
     */
    @Override
    public Translator<?, ?> translator(ModelCard card) {
        if (FaceAttributes.isCompanion(card)) {
            return new FaceAttributeTranslator(); // a companion of the detector
        }
        return detector(card);
    }

    /**
     * The translator of a face detector's card: face-api's SSD ({@link SsdDecoder#NETWORK}) or
     * BlazeFace ({@value #ARCHITECTURE}).
     *
     * @throws IllegalArgumentException for any other card, or a BlazeFace card whose input is not square
     */
    public static Translator<ImageTensor, FaceDetectorOutput> detector(ModelCard card) {
        if (SsdDecoder.decodes(card)) {
            return new SsdTranslator();
        }
        if (!ARCHITECTURE.equals(card.architecture())) {
            throw new IllegalArgumentException("task faces decodes architecture '" + ARCHITECTURE + "'; model "
                    + card.id() + " says '" + card.architecture() + "'");
        }
        return new BlazeFaceTranslator(card);
    }

    /**
     * The card's NMS IoU threshold ({@value #NMS_IOU}); absent, its detector's authors': 0.3 for
     * BlazeFace ({@link WeightedNms#DEFAULT_IOU}), 0.5 for face-api's SSD ({@link HardNms#DEFAULT_IOU}).
     */
    public static double nmsIou(ModelCard card) {
        return card.taskOption(NMS_IOU, SsdDecoder.decodes(card) ? HardNms.DEFAULT_IOU
                : WeightedNms.DEFAULT_IOU);
    }

    /**
     * The side tiles need: with tiles, a photo is worth reading until a tile ({@code shortSide /
     * (grid - (grid - 1) * overlap)}) has the model's input size, and the long side is allowed up to 3
     * times the short one (wider panoramas are read with fewer pixels than tiles could use); with a
     * pyramid, until its finest level fills the tile budget on a square photo (a photo larger than that
     * is read coarser anyway: the budget lowers the finest scale), which keeps the decoded size of the
     * single level's (1408 against 1344 px for the default card); without,
     * twice the input size (the letterbox averages those pixels down instead of picking some).
     */
    @Override
    public int inputSide(JobPlan plan) {
        return plan.model() == null ? 0 : inputSide(plan.model().card());
    }

    /** {@link #inputSide(JobPlan)} for a job served by {@code card}'s model. */
    static int inputSide(ModelCard card) {
        return inputSide(card.input().width(), tiling(card));
    }

    /** {@link #inputSide(JobPlan)} for a model of input side {@code size} and tiling {@code t}. */
    static int inputSide(int size, FaceFinder.Tiling t) {
        if (t.grid() < 2) {
            return 2 * size;
        }
        if (t.isPyramid()) {
            // a square photo whose finest level (and the level before, a quarter as many) fills the tile budget:
            // a photo twice that side is decoded whole anyway (whole factors), and beyond it the budget reads it coarser
            double perAxis = Math.floor(Math.sqrt(t.maxTiles() / (1 + 1 / (t.zoom() * t.zoom()))));
            return (int) Math.ceil(Math.ceil(size / t.finest()) * (1 + (Math.max(1, perAxis) - 1) * (1 - t.overlap())));
        }
        return (int) Math.ceil(size * (t.grid() - (t.grid() - 1) * t.overlap()) * MAX_TILED_ASPECT);
    }

    /**
     * Rejects ({@link Rejection#INVALID_JOB}) a {@code minScore} that is not a number in [0, 1], a
     * {@code maxResults} that is not an integer from 1 to {@value #MAX_MAX_RESULTS} and a
     * {@code maxUpscale} that is not a number from 1 to {@value #MAX_MAX_UPSCALE}, an
     * {@code attributes} that is not a boolean; ({@link Rejection#UNKNOWN_MODEL}) a model that is not
     * a detector (a landmark or expression model serves through the detector that names it).
     */
    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        if (model != null && FaceAttributes.isCompanion(model.card())) {
            throw Rejection.exception(Rejection.UNKNOWN_MODEL, "task faces runs a face detector; model " + model.card().id()
                    + " is a " + FaceAttributes.network(model.card()) + " network, which serves through the detector "
                    + "that names it as a companion", job.jobId());
        }
        JsonNode o = job.options();
        if (o.has(ATTRIBUTES) && !o.get(ATTRIBUTES).isBoolean()) {
            throw Rejection.exception(Rejection.INVALID_JOB, "options.attributes must be true or false, not "
                    + o.get(ATTRIBUTES), job.jobId());
        }
        if (o.has(MIN_SCORE)) {
            JsonNode s = o.get(MIN_SCORE);
            if (!s.isNumber() || !(s.asDouble() >= 0 && s.asDouble() <= 1)) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.minScore must be a number in [0, 1], not " + s,
                        job.jobId());
            }
        }
        if (o.has(MAX_RESULTS)) {
            JsonNode m = o.get(MAX_RESULTS);
            if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 1 || m.asInt() > MAX_MAX_RESULTS) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.maxResults must be an integer from 1 to "
                        + MAX_MAX_RESULTS + ", not " + m, job.jobId());
            }
        }
        if (o.has(MAX_UPSCALE)) {
            JsonNode u = o.get(MAX_UPSCALE);
            if (!u.isNumber() || !(u.asDouble() >= 1 && u.asDouble() <= MAX_MAX_UPSCALE)) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.maxUpscale must be a number from 1 to "
                        + MAX_MAX_UPSCALE + ", not " + u, job.jobId());
            }
        }
    }

    /** The card's {@code options.maxUpscale}, else {@value #DEFAULT_MAX_UPSCALE}: how much the task enlarges a small photo. */
    public static double maxUpscale(ModelCard card) {
        return card.taskOption(MAX_UPSCALE, DEFAULT_MAX_UPSCALE);
    }

    /**
     * The tiling the card asks for ({@code options.tileGrid}, {@code options.tileOverlap},
     * {@code options.tileMaxFace}, and for a pyramid {@code options.tileZoom}, {@code options.tileFinest},
     * {@code options.tileMaxTiles}); none by default.
     *
     * @throws IllegalArgumentException for values out of {@link FaceFinder.Tiling}'s ranges
     */
    public static FaceFinder.Tiling tiling(ModelCard card) {
        return new FaceFinder.Tiling((int) card.taskOption(TILE_GRID, 1), card.taskOption(TILE_OVERLAP, DEFAULT_TILE_OVERLAP),
                card.taskOption(TILE_MAX_FACE, Double.POSITIVE_INFINITY), card.taskOption(TILE_ZOOM, 0),
                card.taskOption(TILE_FINEST, 1), (int) card.taskOption(TILE_MAX_TILES, DEFAULT_MAX_TILES));
    }

    /** FACE_DETECTION. */
    @Override
    public String visionFeature() {
        return "FACE_DETECTION";
    }

    /** {@code maxResults} as asked (default the task's). */
    @Override
    public ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        return maxResults > 0 ? o.put(MAX_RESULTS, maxResults) : o;
    }

    /** {@code faceAnnotations}, best first, as {@link FaceVision#annotation} maps them. */
    @Override
    public ObjectNode visionAnnotation(JsonNode item) {
        return FaceVision.annotation(item);
    }

    /** A table of the faces: score, box, keypoints (input pixels) and the likelier expressions ({@link FaceReport}). */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return FaceReport.section();
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image) {
        ServedModel<ImageTensor, FaceDetectorOutput> model = work.model();
        ModelCard card = model.card();
        JsonNode options = work.plan().job().options();
        double minScore = options.path(MIN_SCORE).asDouble(card.taskOption(MIN_SCORE, DEFAULT_MIN_SCORE));
        int maxResults = options.path(MAX_RESULTS).asInt(DEFAULT_MAX_RESULTS);
        double maxUpscale = options.path(MAX_UPSCALE).asDouble(maxUpscale(card));
        BufferedImage rgb = Preprocessor.flatten(image);
        boolean attributes = options.path(ATTRIBUTES).asBoolean(true) && hasAttributeModels(card);
        return FaceFinder.find(rgb, card, card.input().spec(), tiling(card), maxUpscale, input -> model.infer(input, work.priority()), minScore,
                maxResults, work.cpu()).thenCompose(faces -> { // already on work.cpu()
            if (!attributes || faces.isEmpty()) {
                return CompletableFuture.completedFuture(new Found(faces, null));
            }
            ServedModel<ImageTensor, float[]> landmarks = model.companion(FaceAttributes.LANDMARKS_ROLE);
            ServedModel<ImageTensor, float[]> expressions = model.companion(FaceAttributes.EXPRESSIONS_ROLE);
            return FaceAttributes.measure(rgb, faces, landmarks.card().input().spec(),
                    in -> landmarks.infer(in, work.priority()), in -> expressions.infer(in, work.priority()))
                    .thenApplyAsync(a -> new Found(faces, a), work.cpu());
        }).thenCompose(found -> {
            List<FaceDetection> faces = found.faces();
            List<Map<String, Object>> json = new ArrayList<>();
            HeadBox head = HeadBox.of(card);
            int factor = work.subsampling();
            for (int i = 0; i < faces.size(); i++) {
                FaceAttributes.Attributes a = found.attributes() == null ? null : found.attributes().get(i);
                // the image may have been decoded subsampled: results are in the input's pixels
                FaceDetection f = scaled(faces.get(i), factor);
                json.add(json(f, head.apply(f, rgb.getWidth() * factor, rgb.getHeight() * factor), a, factor));
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("faces", json);
            extra.put("faceCount", faces.size());
            return work.artifacts().write(ArtifactWriter.itemKey(work.input().index(), "overlay.png"),
                    Png.encode(FaceOverlay.draw(rgb, faces, found.attributes())), "image/png")
                    .thenApply(uri -> Items.succeeded(work, image, null, Map.of("overlay", uri), extra));
        });
    }

    /** The faces of an item with their attributes (null: not measured; an entry null: its box left the photo). */
    private record Found(List<FaceDetection> faces, List<FaceAttributes.Attributes> attributes) {}

    /** Whether {@code card} names both face-api companions. */
    static boolean hasAttributeModels(ModelCard card) {
        return card.companions() != null && card.companions().containsKey(FaceAttributes.LANDMARKS_ROLE)
                && card.companions().containsKey(FaceAttributes.EXPRESSIONS_ROLE);
    }

    /** {@code f} with every coordinate times {@code factor} (decoded pixels to input pixels). */
    static FaceDetection scaled(FaceDetection f, int factor) {
        if (factor == 1) {
            return f;
        }
        double[] kp = f.keypoints().clone();
        for (int k = 0; k < kp.length; k++) {
            kp[k] *= factor;
        }
        return new FaceDetection(f.x() * factor, f.y() * factor, f.width() * factor, f.height() * factor, kp, f.score());
    }

    /** One face as the item JSON has it: box (also as its head box: no mapping), keypoints, score; coordinates to 0.1 px, score to 6 decimals. */
    static Map<String, Object> json(FaceDetection f) {
        return json(f, f, null, 1);
    }

    /**
     * One face as the item JSON has it: {@code box} (the detector's), {@code headBox} ({@code head},
     * the framed box, see {@link HeadBox}), keypoints, score, and its attributes when measured
     * ({@code a} in decoded pixels, times {@code factor} to the input's): landmarks to 0.1 px,
     * probabilities to 6 decimals.
     */
    static Map<String, Object> json(FaceDetection f, FaceDetection head, FaceAttributes.Attributes a, int factor) {
        Map<String, Object> box = box(f);
        List<Map<String, Object>> kps = new ArrayList<>();
        for (int k = 0; k < f.keypoints().length / 2; k++) {
            Map<String, Object> kp = new LinkedHashMap<>();
            kp.put("type", FaceDetection.KEYPOINTS.get(k));
            kp.put("x", tenth(f.keypointX(k)));
            kp.put("y", tenth(f.keypointY(k)));
            kps.add(kp);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("box", box);
        out.put("headBox", box(head));
        out.put("keypoints", kps);
        out.put("score", Items.round(f.score()));
        if (a != null) {
            List<List<Double>> points = new ArrayList<>();
            for (int i = 0; i < a.landmarks().length; i += 2) {
                points.add(List.of(tenth(a.landmarks()[i] * factor), tenth(a.landmarks()[i + 1] * factor)));
            }
            out.put("landmarks", points);
            Map<String, Object> expressions = new LinkedHashMap<>();
            for (int c = 0; c < FaceAttributes.EXPRESSION_LABELS.size(); c++) {
                expressions.put(FaceAttributes.EXPRESSION_LABELS.get(c), Items.round(a.expressions()[c]));
            }
            out.put("expressions", expressions);
            FaceAttributes.LIKELIHOODS.forEach((field, expression) -> out.put(field, a.likelihood(expression).name()));
        }
        return out;
    }

    private static Map<String, Object> box(FaceDetection f) {
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("x", tenth(f.x()));
        box.put("y", tenth(f.y()));
        box.put("width", tenth(f.width()));
        box.put("height", tenth(f.height()));
        return box;
    }

    private static double tenth(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
