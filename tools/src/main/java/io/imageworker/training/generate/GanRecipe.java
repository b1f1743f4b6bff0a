package io.imageworker.training.generate;

import io.imageworker.models.ModelCard;
import io.imageworker.training.Recipe;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The class-conditional DCGAN recipe (auxiliary-classifier GAN): generator and discriminator
 * trained against each other with two Adam optimizers on the MNIST training set; the discriminator
 * also classifies, and the generator is rewarded when its digit is classified as requested.
 *
 * @param name recipe name
 * @param description one line
 * @param options the generator's architecture options (latent, classes, width)
 * @param discriminatorWidth channels of the discriminator's first layer
 * @param defaultEpochs passes over the 60,000 training digits
 * @param batchSize real (and fake) digits per step
 * @param lrStart Adam learning rate of both networks at step 0
 * @param lrEnd rate the schedule decays towards
 * @param lrFolds e-folds of the excess over {@code lrEnd} across the whole run
 * @param beta1 Adam's first-moment decay (0.5 in the DCGAN paper)
 * @param realLabel target for real digits (one-sided label smoothing)
 * @param classWeight weight of the class term in the generator's loss (1 in AC-GAN)
 */
public record GanRecipe(
        String name,
        String description,
        Map<String, Object> options,
        int discriminatorWidth,
        int defaultEpochs,
        int batchSize,
        float lrStart,
        float lrEnd,
        float lrFolds,
        float beta1,
        float realLabel,
        float classWeight)
        implements Recipe {

    /**
     * The generator's architecture name, as recorded in the card and built by
     * {@code Architectures}.
     */
    public static final String ARCHITECTURE = "dcgan-generator";

    /**
     * The GAN recipes {@code train} offers: one, {@code dcgan} (latent 64, width 32, 10 epochs of
     * batch 64, Adam 2e-4 decaying towards 2e-5 with beta1 0.5 as in Radford et al. 2015, real
     * label 0.9, class term x3).
     */
    public static List<GanRecipe> all() {
        return List.of(new GanRecipe("dcgan",
                "class-conditional DCGAN (AC-GAN): G projection + 2x (nearest x2, conv, BN, ReLU) + tanh; "
                        + "D strided convs, LeakyReLU 0.2, BN, real/fake + class outputs (class head trained on real digits); class term x3 in G's loss",
                Map.of("latent", 64, "classes", 10, "width", 32), 32, 10, 64, 0.0002f, 0.00002f, 2f, 0.5f, 0.9f, 3f));
    }

    @Override
    public String task() {
        return "generate";
    }

    @Override
    public ModelCard train(TrainRequest request, TrainingLog log) throws IOException {
        return new GanTraining(this).run(request, log);
    }
}
