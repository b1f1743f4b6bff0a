package io.imageworker.training.classify;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.classify.ClassifierOutput;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.training.ood.OodEvaluation;
import io.imageworker.training.ood.OodSet;
import io.imageworker.tasks.classify.ClassifyTranslator;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Accuracy of a classifier on MNIST digits, measured through the translator the worker serves with. */
public final class ClassifierEvaluation implements ModelEvaluation {

    /** The shared instance (ServiceLoader makes its own). */
    public static final ClassifierEvaluation INSTANCE = new ClassifierEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "classify";
    private static final int BATCH = 256;

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public ClassifierEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    /**
     * Accuracy on the MNIST test set carried in the application; for a model with an
     * out-of-distribution detector also the accuracy with abstention and the abstention rates on
     * those digits and on the evaluation set of non-digits ({@link OodEvaluation}).
     */
    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        Mnist test = Mnist.bundledTestSet();
        if (limit > 0) {
            test = test.head(limit);
        }
        List<ModelCard.Metric> out = new ArrayList<>();
        double accuracy = accuracy(model, test);
        out.add(new ModelCard.Metric("accuracy", accuracy, "MNIST test set (" + test.count() + " digits)", null));
        OodDetector ood = OodDetector.fromCard(model.card().options(), model.dir());
        if (ood != null) {
            ModelCard.Metric recorded = model.card().metric("accuracy");
            out.addAll(OodEvaluation.metrics(model, ood, test, OodSet.bundled(),
                    recorded == null ? accuracy : recorded.value()));
        }
        return out;
    }

    /** Fraction of {@code data} whose arg-max class equals the label. */
    public static double accuracy(LoadedModel model, Mnist data) {
        int correct = 0;
        try (Predictor<ImageTensor, ClassifierOutput> predictor = model.newPredictor(new ClassifyTranslator(model.card()))) {
            for (int start = 0; start < data.count(); start += BATCH) {
                int end = Math.min(data.count(), start + BATCH);
                List<ImageTensor> batch = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    batch.add(new ImageTensor(data.image(i), 1, Mnist.SIDE, Mnist.SIDE));
                }
                List<ClassifierOutput> probs = predictor.batchPredict(batch);
                for (int i = start; i < end; i++) {
                    if (argMax(probs.get(i - start).probabilities()) == data.label(i)) {
                        correct++;
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
        }
        return correct / (double) data.count();
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
