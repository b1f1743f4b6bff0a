package io.imageworker.training.text;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.tasks.text.CtcDecoder;
import io.imageworker.tasks.text.ProbabilityMap;
import io.imageworker.tasks.text.TextReader;
import io.imageworker.tasks.text.TextTask;
import io.imageworker.tasks.text.TextTranslators;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code text} task's reader over a detector and the companions its card names, in this
 * process: one predictor per model, called on the caller's thread (no server, no batcher). For
 * evaluation and the bench's models-alone baseline; it counts the time spent inside model calls.
 * Close it to free the predictors and the companions (the detector stays the caller's).
 */
public final class InProcessTextReader implements AutoCloseable {

    private final LoadedModel recognizer;
    private final LoadedModel angle;
    private final Predictor<ImageTensor, ProbabilityMap> detectorCalls;
    private final Predictor<ImageTensor, CtcDecoder.Steps> recognizerCalls;
    private final Predictor<ImageTensor, float[]> angleCalls;
    private final TextReader reader;
    private final TextReader.Settings settings;
    private final AtomicLong modelNanos = new AtomicLong();

    /**
     * Loads the companions of {@code detector} ({@code recognizer}, {@code angle-classifier}) from
     * {@code repository} on the detector's device.
     *
     * @throws IllegalArgumentException when {@code detector} is not a text detector
     * @throws IOException when a companion is not named or cannot be loaded
     */
    public InProcessTextReader(LoadedModel detector, ModelRepository repository) throws IOException {
        ModelCard card = detector.card();
        if (!TextTranslators.DETECTOR.equals(card.architecture())) {
            throw new IllegalArgumentException("model " + card.id() + " (" + card.architecture()
                    + ") is measured through the text detector that names it as a companion");
        }
        recognizer = ModelLoader.load(companion(repository, card, TextTask.RECOGNIZER), detector.device());
        LoadedModel cls = null;
        try {
            cls = ModelLoader.load(companion(repository, card, TextTask.ANGLE_CLASSIFIER), detector.device());
        } finally {
            if (cls == null) {
                recognizer.close();
            }
        }
        angle = cls;
        detectorCalls = detector.newPredictor(translator(card));
        recognizerCalls = recognizer.newPredictor(translator(recognizer.card()));
        angleCalls = angle.newPredictor(translator(angle.card()));
        reader = new TextReader(t -> timed(detectorCalls, t), card.input().spec(), t -> timed(angleCalls, t),
                angle.card().input().spec(), t -> timed(recognizerCalls, t), recognizer.card().input().spec(),
                recognizer.card().labels(), Runnable::run);
        settings = TextReader.Settings.of(card, recognizer.card(), angle.card());
    }

    /**
     * Reads {@code image} with the cards' default settings, on this thread.
     *
     * @throws IOException when a model call fails
     */
    public TextReader.Result read(BufferedImage image) throws IOException {
        return read(image, settings);
    }

    /**
     * Reads {@code image} with {@code s} (a study's variant of {@link #settings()}), on this thread.
     *
     * @throws IOException when a model call fails
     */
    public TextReader.Result read(BufferedImage image, TextReader.Settings s) throws IOException {
        try {
            return reader.read(image, s).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("reading text failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The cards' default settings. */
    public TextReader.Settings settings() {
        return settings;
    }

    /** Nanoseconds spent inside model calls since the last {@link #resetModelNanos}. */
    public long modelNanos() {
        return modelNanos.get();
    }

    /** Starts counting model time from 0. */
    public void resetModelNanos() {
        modelNanos.set(0);
    }

    private static java.nio.file.Path companion(ModelRepository repository, ModelCard card, String role) throws IOException {
        String ref = card.companions() == null ? null : card.companions().get(role);
        if (ref == null) {
            throw new IOException("model " + card.id() + " names no companion '" + role + "'");
        }
        return repository.resolve(ref).dir();
    }

    @SuppressWarnings("unchecked")
    private static <O> Translator<ImageTensor, O> translator(ModelCard card) {
        return (Translator<ImageTensor, O>) TextTranslators.forCard(card);
    }

    private <O> CompletableFuture<O> timed(Predictor<ImageTensor, O> p, ImageTensor t) {
        long t0 = System.nanoTime();
        try {
            return CompletableFuture.completedFuture(p.predict(t));
        } catch (TranslateException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            modelNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    @Override
    public void close() {
        detectorCalls.close();
        recognizerCalls.close();
        angleCalls.close();
        recognizer.close();
        angle.close();
    }
}
