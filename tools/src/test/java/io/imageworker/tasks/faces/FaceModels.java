package io.imageworker.tasks.faces;

import io.imageworker.testing.Repo;
import ai.djl.inference.Predictor;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.ModelCard;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Test helper: a bundled BlazeFace model loaded straight through DJL and ONNX Runtime (the way the
 * worker's loader does it, without the worker), and the task's detection pipeline run on one photo:
 * {@link FaceFinder#views}, {@link Letterbox#render}, the model, {@link FaceFinder#merge}.
 */
final class FaceModels implements AutoCloseable {

    final ModelCard card;
    private final io.imageworker.models.LoadedModel model;
    private final Predictor<ImageTensor, FaceDetectorOutput> predictor;

    /** Loads {@code models/<name>/1} from the classpath. */
    FaceModels(String name) throws Exception {
        Path dir = folder(name);
        card = io.imageworker.models.ModelLoader.readCard(dir);
        model = io.imageworker.models.ModelLoader.load(dir, ai.djl.Device.cpu()); // BlazeFace on ONNX Runtime, the SSD on MXNet
        predictor = model.newPredictor(FacesTask.detector(card));
    }

    /** The version folder of {@code name}: shipped on the classpath, or face-api's SSD imported for the tests. */
    static Path folder(String name) throws Exception {
        if (io.imageworker.testing.ImportedSsd.NAME.equals(name)) {
            return io.imageworker.testing.ImportedSsd.dir();
        }
        return Repo.path("worker/src/main/resources/models", name, "1");
    }

    static ModelCard readCard(String name) throws Exception {
        return io.imageworker.models.ModelLoader.readCard(folder(name));
    }

    /** The faces in {@code photo} with the card's preprocessing and the task's {@link FacesTask#maxUpscale}. */
    List<FaceDetection> detect(BufferedImage photo, FaceFinder.Tiling tiling, double minScore, int maxResults) throws Exception {
        return detect(photo, card.input().spec(), tiling, FacesTask.maxUpscale(card), minScore, maxResults);
    }

    /** The faces in {@code photo} with the card's preprocessing, the whole view enlarged at most {@code maxUpscale} times. */
    List<FaceDetection> detect(BufferedImage photo, FaceFinder.Tiling tiling, double maxUpscale, double minScore, int maxResults)
            throws Exception {
        return detect(photo, card.input().spec(), tiling, maxUpscale, minScore, maxResults);
    }

    /** The faces in {@code photo}, preprocessed with {@code spec} (to compare input scalings). */
    List<FaceDetection> detect(BufferedImage photo, Preprocessor.Spec spec, FaceFinder.Tiling tiling, double minScore,
            int maxResults) throws Exception {
        return detect(photo, spec, tiling, FacesTask.maxUpscale(card), minScore, maxResults);
    }

    List<FaceDetection> detect(BufferedImage photo, Preprocessor.Spec spec, FaceFinder.Tiling tiling, double maxUpscale,
            double minScore, int maxResults) throws Exception {
        try {
            return FaceFinder.find(Preprocessor.flatten(photo), card, spec, tiling, maxUpscale, t -> {
                try {
                    return java.util.concurrent.CompletableFuture.completedFuture(predictor.predict(t));
                } catch (ai.djl.translate.TranslateException e) {
                    return java.util.concurrent.CompletableFuture.failedFuture(e);
                }
            }, minScore, maxResults, Runnable::run).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** One model call on one prepared view. */
    FaceDetectorOutput call(ImageTensor view) throws Exception {
        return predictor.predict(view);
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
