package io.imageworker.training.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.testing.SystemDeps;
import io.imageworker.datasets.Mnist;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built-in classifier's out-of-distribution rule on real-world digits it was not fitted on
 * (issue 29: at most 1% refused) beside the evaluation set of non-digits (at least 95% refused),
 * measured here as the recipe measured them for the card.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealDigitsAbstentionTest {

    LoadedModel model;
    OodDetector ood;
    ModelCard card;
    List<RealDigits.Sample> heldOut;

    @BeforeAll
    void load() throws Exception {
        ModelRepository.Resolved r = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("real-digits"))
                .resolve(OodRecipe.BASE);
        model = ModelLoader.load(r.dir(), Device.cpu());
        card = model.card();
        ood = OodDetector.fromCard(card.options(), r.dir());
        // the DejaVu fonts the tests ship are the files the recipe read from /usr/share/fonts/truetype/dejavu
        heldOut = RealWorldFit.heldOut(SystemDeps.font("DejaVuSans.ttf").getParent());
    }

    @org.junit.jupiter.api.AfterAll
    void close() {
        model.close();
    }

    @Test
    void heldOutRealDigitsAreKeptAndReadWhileNonDigitsAreRefused() throws Exception {
        List<ModelCard.Metric> real = OodEvaluation.realDigits(model, ood, heldOut, RealWorldFit.heldOutDescription());
        double kept = real.get(0).value();
        double accuracy = real.get(1).value();
        assertThat(kept).as("share of %d held-out real-world digits kept", heldOut.size()).isGreaterThanOrEqualTo(0.99);
        assertThat(accuracy).as("accuracy on the held-out real-world digits").isGreaterThanOrEqualTo(0.98);

        OodStudy.Scored others = OodStudy.pictures(model, OodSet.bundled());
        int refused = 0;
        for (int i = 0; i < others.size(); i++) {
            refused += ood.judge(others.stats()[i], others.features()[i]).outOfDistribution() ? 1 : 0;
        }
        assertThat(refused / (double) others.size()).as("share of the %d non-digits refused", others.size())
                .isGreaterThanOrEqualTo(0.95);

        // the card records what this measures
        for (ModelCard.Metric m : real) {
            assertThat(card.metric(m.name())).as("card records %s", m.name()).isNotNull();
            assertThat(m.value()).as(m.name()).isCloseTo(card.metric(m.name()).value(), within(0.002));
        }
        assertThat(refused / (double) others.size()).isCloseTo(card.metric("abstention-ood").value(), within(0.002));
    }

    @Test
    void everyKindOfRealDigitIsInTheHeldOutSet() {
        Set<RealDigits.Storage> storages = EnumSet.noneOf(RealDigits.Storage.class);
        int printed = 0;
        int darkOnLight = 0;
        for (RealDigits.Sample s : heldOut) {
            storages.add(s.storage());
            printed += s.printed() ? 1 : 0;
            darkOnLight += s.darkOnLight() ? 1 : 0;
        }
        assertThat(storages).containsExactlyInAnyOrder(RealDigits.Storage.values());
        assertThat(printed).isBetween(heldOut.size() / 3, 2 * heldOut.size() / 3);
        assertThat(darkOnLight).isGreaterThan(heldOut.size() / 2).isLessThan(heldOut.size());
        assertThat(heldOut.stream().filter(s -> s.storage() == RealDigits.Storage.GREY16)
                .allMatch(s -> s.image().getColorModel().getComponentSize(0) == 16)).isTrue();
        // the same seed gives the same images
        List<RealDigits.Sample> again = new RealDigits(List.of(new java.awt.Font("Dialog", java.awt.Font.PLAIN, 12)),
                mnist()).generate(RealWorldFit.REAL_EVAL_SEED, 5);
        List<RealDigits.Sample> twice = new RealDigits(List.of(new java.awt.Font("Dialog", java.awt.Font.PLAIN, 12)),
                mnist()).generate(RealWorldFit.REAL_EVAL_SEED, 5);
        for (int i = 0; i < again.size(); i++) {
            assertThat(OodSetTest.pixels(again.get(i).image())).isEqualTo(OodSetTest.pixels(twice.get(i).image()));
            assertThat(again.get(i).label()).isEqualTo(twice.get(i).label());
        }
    }

    private static Mnist mnist() {
        try {
            return Mnist.bundledTestSet();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
