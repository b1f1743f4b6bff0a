package io.imageworker.tasks.text;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.imageworker.imaging.ImageDecoder;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.testing.Images;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The three bundled PP-OCR models loaded straight through DJL with the task's translators (no
 * server, no batcher), and a {@link TextReader} over them. One predictor per model, called under
 * a lock (predictors are not thread-safe). Close it to free the models.
 */
final class TextModels implements AutoCloseable {

    static final Path MODELS = io.imageworker.testing.Repo.path("worker/src/main/resources/models"); // tools' text tests use it too

    final ModelCard detectorCard;
    final ModelCard recognizerCard;
    final ModelCard angleCard;
    private final ZooModel<ImageTensor, ProbabilityMap> detector;
    private final ZooModel<ImageTensor, CtcDecoder.Steps> recognizer;
    private final ZooModel<ImageTensor, float[]> angle;
    private final Predictor<ImageTensor, ProbabilityMap> detectorP;
    private final Predictor<ImageTensor, CtcDecoder.Steps> recognizerP;
    private final Predictor<ImageTensor, float[]> angleP;

    TextModels() throws Exception {
        detectorCard = ModelLoader.readCard(MODELS.resolve("ppocr-v4-det/1"));
        ModelCard rec = ModelLoader.readCard(MODELS.resolve("ppocr-v4-rec/1"));
        recognizerCard = rec.withLabels(Files.readAllLines(MODELS.resolve("ppocr-v4-rec/1").resolve(rec.labelsFile()),
                StandardCharsets.UTF_8));
        angleCard = ModelLoader.readCard(MODELS.resolve("ppocr-v2-cls/1"));
        detector = load(detectorCard, ProbabilityMap.class);
        recognizer = load(recognizerCard, CtcDecoder.Steps.class);
        angle = load(angleCard, float[].class);
        detectorP = detector.newPredictor();
        recognizerP = recognizer.newPredictor();
        angleP = angle.newPredictor();
    }

    @SuppressWarnings("unchecked")
    private static <O> ZooModel<ImageTensor, O> load(ModelCard card, Class<O> out) throws Exception {
        return Criteria.builder().setTypes(ImageTensor.class, out)
                .optModelPath(MODELS.resolve(card.name()).resolve(card.version()))
                .optModelName(card.weights())
                .optEngine("OnnxRuntime")
                .optTranslator((ai.djl.translate.Translator<ImageTensor, O>) TextTranslators.forCard(card))
                .build().loadModel();
    }

    synchronized ProbabilityMap detect(ImageTensor t) {
        return call(detectorP, t);
    }

    synchronized CtcDecoder.Steps recognize(ImageTensor t) {
        return call(recognizerP, t);
    }

    synchronized float[] classify(ImageTensor t) {
        return call(angleP, t);
    }

    private static <O> O call(Predictor<ImageTensor, O> p, ImageTensor t) {
        try {
            return p.predict(t);
        } catch (ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A reader over these models; {@code withAngle} false leaves the angle classifier out. */
    TextReader reader(boolean withAngle, Executor cpu) {
        return reader(withAngle ? t -> CompletableFuture.supplyAsync(() -> classify(t), cpu) : null, cpu);
    }

    /** A reader over these models' detector and recognizer with {@code angle} as the angle classifier (null: none). */
    TextReader reader(TextReader.Stage<float[]> angle, Executor cpu) {
        return new TextReader(t -> CompletableFuture.supplyAsync(() -> detect(t), cpu), detectorCard.input().spec(),
                angle, angle != null ? angleCard.input().spec() : null,
                t -> CompletableFuture.supplyAsync(() -> recognize(t), cpu), recognizerCard.input().spec(),
                recognizerCard.labels(), cpu);
    }

    /** The reader's default settings from the three cards. */
    TextReader.Settings settings() {
        return TextReader.Settings.of(detectorCard, recognizerCard, angleCard);
    }

    /** A test image of src/test/resources/text, decoded as the worker decodes inputs. */
    static BufferedImage image(String name) throws Exception {
        return new ImageDecoder(40_000_000L).decode(Images.resource("/text/" + name));
    }

    @Override
    public void close() {
        detectorP.close();
        recognizerP.close();
        angleP.close();
        detector.close();
        recognizer.close();
        angle.close();
    }
}
