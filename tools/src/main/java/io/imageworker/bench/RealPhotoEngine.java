package io.imageworker.bench;

import ai.djl.inference.Predictor;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.tasks.faces.FaceDetectorOutput;
import io.imageworker.tasks.faces.FaceFinder;
import io.imageworker.tasks.faces.FacesTask;
import io.imageworker.tasks.faces.Letterbox;
import io.imageworker.tasks.objects.NanodetOutput;
import io.imageworker.tasks.objects.NanodetTranslator;
import io.imageworker.tasks.objects.ObjectsTask;
import io.imageworker.training.text.InProcessTextReader;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The real-photo tasks' models alone in this process, one caller, batch 1, one ONNX Runtime
 * intra-op thread (the worker's default): the baseline the bench compares end to end with. No
 * Kafka, object store, decoding or artifacts; for text, only the time inside the three models counts.
 */
final class RealPhotoEngine {

    private RealPhotoEngine() {}

    /**
     * Photos per second of the faces model on the views the task makes of each photo (the whole
     * photo and its tiles), counting model calls only; median of {@code repeats} passes after one
     * unmeasured pass.
     */
    static double faces(io.imageworker.inference.DevicePlan devices, ModelRepository repo, String model,
            List<BufferedImage> photos, int repeats) throws Exception {
        try (LoadedModel m = ModelLoader.load(repo.resolve(model).dir(), devices.asFunction(), ModelLoader.LoadOptions.DEFAULT);
                Predictor<ImageTensor, FaceDetectorOutput> p = m.newPredictor(FacesTask.detector(m.card()))) {
            ModelCard card = m.card();
            FaceFinder.Tiling tiling = FacesTask.tiling(card);
            List<List<ImageTensor>> views = new ArrayList<>();
            for (BufferedImage photo : photos) {
                BufferedImage rgb = Preprocessor.flatten(photo);
                List<Letterbox> v = FaceFinder.views(rgb.getWidth(), rgb.getHeight(), card.input().width(), tiling, FacesTask.maxUpscale(card));
                views.add(FaceFinder.inputs(rgb, v, card.input().spec()));
            }
            List<Double> rates = new ArrayList<>();
            for (int r = -1; r < repeats; r++) {
                long t0 = System.nanoTime();
                for (List<ImageTensor> photo : views) {
                    for (ImageTensor t : photo) {
                        p.predict(t);
                    }
                }
                if (r >= 0) {
                    rates.add(photos.size() / ((System.nanoTime() - t0) / 1e9));
                }
            }
            return Stats.median(rates);
        }
    }

    /**
     * Photos per second of an objects model (NanoDet) on {@code photos} letterboxed as the task does,
     * one photo per call, counting model calls only (no decoding of NanoDet's outputs); median of
     * {@code repeats} passes after one unmeasured pass.
     */
    static double objects(io.imageworker.inference.DevicePlan devices, ModelRepository repo, String model,
            List<BufferedImage> photos, int repeats) throws Exception {
        try (LoadedModel m = ModelLoader.load(repo.resolve(model).dir(), devices.asFunction(), ModelLoader.LoadOptions.DEFAULT);
                Predictor<ImageTensor, NanodetOutput> p = m.newPredictor(new NanodetTranslator())) {
            int size = m.card().input().width();
            List<ImageTensor> inputs = new ArrayList<>();
            for (BufferedImage photo : photos) {
                BufferedImage rgb = Preprocessor.flatten(photo);
                Letterbox view = Letterbox.whole(rgb.getWidth(), rgb.getHeight(), size, ObjectsTask.MAX_UPSCALE);
                inputs.add(Preprocessor.toTensor(view.render(rgb), m.card().input().spec()));
            }
            return perSecond(p, inputs, repeats);
        }
    }

    /**
     * Images per second of the text models (detector, angle classifier, recognizer) on {@code images}
     * as the task reads them, counting the time inside model calls only; median of {@code repeats}
     * passes after one unmeasured pass.
     */
    static double text(io.imageworker.inference.DevicePlan devices, ModelRepository repo, String detector,
            List<BufferedImage> images, int repeats) throws Exception {
        try (LoadedModel d = ModelLoader.load(repo.resolve(detector).dir(), devices.asFunction(), ModelLoader.LoadOptions.DEFAULT);
                InProcessTextReader reader = new InProcessTextReader(d, repo)) {
            List<Double> rates = new ArrayList<>();
            for (int r = -1; r < repeats; r++) {
                reader.resetModelNanos();
                for (BufferedImage image : images) {
                    reader.read(image);
                }
                if (r >= 0) {
                    rates.add(images.size() / (reader.modelNanos() / 1e9));
                }
            }
            return Stats.median(rates);
        }
    }

    /**
     * Images per second of a classifier served with the classify translator (safe-search's
     * nsfwjs), one preprocessed image per call, counting model calls only; median of
     * {@code repeats} passes after one unmeasured pass.
     */
    static double classifier(io.imageworker.inference.DevicePlan devices, ModelRepository repo, String model,
            List<BufferedImage> images, int repeats) throws Exception {
        try (LoadedModel m = ModelLoader.load(repo.resolve(model).dir(), devices.asFunction(), ModelLoader.LoadOptions.DEFAULT);
                Predictor<ImageTensor, io.imageworker.tasks.classify.ClassifierOutput> p =
                        m.newPredictor(new io.imageworker.tasks.classify.ClassifyTranslator(m.card()))) {
            List<ImageTensor> inputs = new ArrayList<>();
            for (BufferedImage image : images) {
                inputs.add(Preprocessor.toTensor(image, m.card().input().spec()));
            }
            return perSecond(p, inputs, repeats);
        }
    }

    /**
     * Inputs per second through {@code p}, one call each on this thread: median of {@code repeats} passes after
     * one unmeasured pass.
     */
    private static double perSecond(Predictor<ImageTensor, ?> p, List<ImageTensor> inputs, int repeats) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (ImageTensor t : inputs) {
                p.predict(t);
            }
            if (r >= 0) {
                rates.add(inputs.size() / ((System.nanoTime() - t0) / 1e9));
            }
        }
        return Stats.median(rates);
    }
}
