package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.Digits;
import io.imageworker.testing.Images;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.SystemDeps;
import io.imageworker.testing.WorkerTest;
import io.imageworker.training.ood.OodImages;
import io.imageworker.training.ood.RealDigits;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Digits as people send them (issue 29, section 5), through the real broker, object store and
 * worker: the field's 16-bit 0 and dark digits on white paper, and digits made here of every
 * storage kind (16-bit grey, ink on paper, alpha, JPEG, RGB) and both polarities, each labelled
 * and not abstained on; a photo beside them in the same job still abstains.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class RealDigitsJobTest extends WorkerTest {

    /** A seed neither the rule's fitting digits nor its held-out digits use. */
    static final long SEED = 4711;

    /** Per storage kind, the first printed and the first handwritten digit; then the first two light on dark. */
    static List<RealDigits.Sample> madeHere() throws Exception {
        RealDigits gen = new RealDigits(OodImages.fonts(List.of(SystemDeps.font("DejaVuSans.ttf"),
                SystemDeps.font("DejaVuSerif.ttf"))), Digits.testSet());
        List<RealDigits.Sample> all = gen.generate(SEED, 200);
        Map<String, RealDigits.Sample> picked = new LinkedHashMap<>();
        for (RealDigits.Sample s : all) {
            picked.putIfAbsent(s.storage() + "/" + s.printed(), s);
        }
        all.stream().filter(s -> !s.darkOnLight()).limit(2).forEach(s -> picked.putIfAbsent("dark/" + s.describe(), s));
        return new ArrayList<>(picked.values());
    }

    @Test
    void realDigitsOfEveryKindAreLabelledAndAPhotoBesideThemAbstains() throws Exception {
        String jobId = "real-digits-" + UUID.randomUUID();
        List<String> uris = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String[] f : new String[][] {{"digit-0-16bit.png", "0"}, {"ink-on-paper-6.png", "6"}, {"ink-on-paper-2.png", "2"}}) {
            uris.add(upload(jobId + "/" + f[0], Images.resource("/cases/field3/" + f[0])));
            expected.add(f[1]);
        }
        List<RealDigits.Sample> made = madeHere();
        assertThat(made.stream().map(RealDigits.Sample::storage).distinct()).hasSize(RealDigits.Storage.values().length);
        assertThat(made).anyMatch(s -> !s.darkOnLight()).anyMatch(RealDigits.Sample::printed).anyMatch(s -> !s.printed());
        for (int i = 0; i < made.size(); i++) {
            RealDigits.Sample s = made.get(i);
            String format = s.storage() == RealDigits.Storage.JPEG ? "jpg" : "png";
            uris.add(upload(jobId + "/" + i + "-" + s.describe() + "." + format, Images.encode(s.image(), format)));
            expected.add(Integer.toString(s.label()));
        }
        uris.add(upload(jobId + "/photo-landscape.png", Images.resource("/cases/field/photo-landscape.png")));
        events.produce("image-jobs", jobId, ClassifyJobTest.job(jobId, uris));

        JsonNode result = events.result(jobId, OutOfDistributionJobTest.WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        JsonNode items = result.path("items");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode item = items.get(i);
            String what = item.path("uri").asText() + ": " + item;
            assertThat(item.path("status").asText()).as(what).isEqualTo("succeeded");
            assertThat(item.has("outOfDistribution")).as(what).isFalse();
            assertThat(item.path("oodScore").asDouble()).as(what).isBetween(0.0, 1.0);
            assertThat(item.path("labels").get(0).path("label").asText()).as(what).isEqualTo(expected.get(i));
        }
        JsonNode photo = items.get(expected.size());
        assertThat(!photo.has("labels") || "coco-80".equals(photo.path("labelSet").asText())).as(photo.toString()).isTrue();
        assertThat(photo.path("labels").findValuesAsText("label")).as(photo.toString()).noneMatch(l -> l.matches("[0-9]"));
        assertThat(photo.path("outOfDistribution").path("score").asDouble()).isGreaterThan(1.0);
        assertThat(photo.path("outOfDistribution").path("method").asText()).isEqualTo("input-statistics+mahalanobis+probe");
    }
}
