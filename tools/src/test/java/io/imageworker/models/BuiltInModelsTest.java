package io.imageworker.models;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.imageworker.training.Evaluations;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The models committed with the application still reach the metrics their cards record. */
class BuiltInModelsTest {

    static ModelRepository repo;

    @BeforeAll
    static void open() throws Exception {
        repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("builtin-models"));
    }

    static List<String> models() throws Exception {
        open();
        return repo.names();
    }

    @Test
    void theIndexListsEveryFileWithItsChecksum() throws Exception {
        List<String[]> index = ModelRepository.builtInIndex();
        assertThat(index).isNotEmpty();
        for (String[] entry : index) {
            try (InputStream in = ModelRepository.class.getResourceAsStream("/models/" + entry[1])) {
                assertThat(in).as(entry[1]).isNotNull();
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
                assertThat(sha).as("sha256 of " + entry[1] + " (regenerate index.txt with sha256sum */*/*)").isEqualTo(entry[0]);
            }
        }
        try (var files = Files.walk(Repo.path("worker/src/main/resources/models"))) {
            long onDisk = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("index.txt")).count();
            assertThat(index).hasSize((int) onDisk);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void reachesTheBarItsCardRecords(String name) throws Exception {
        ModelRepository.Resolved resolved = repo.resolve(name);
        ModelCard card = resolved.card();
        assertThat(card.metrics()).as("metrics of " + card.id()).isNotEmpty();
        if (card.provenance() != null) {
            // Third-party weights: no recipe of ours, but the file must be the one the provenance names.
            assertThat(card.provenance()).as("provenance of " + card.id()).containsKeys("package", "version",
                    "licence", "licenceFile", "upstream");
            if (ModelCard.FORMAT_ONNX.equals(card.formatOrDefault())) {
                assertThat(card.provenance()).as("provenance of " + card.id()).containsKey("sha256");
                byte[] graph = Files.readAllBytes(resolved.dir().resolve(card.weights() + ".onnx"));
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(graph)))
                        .as("sha256 of %s's graph", card.id()).isEqualTo(card.provenance().get("sha256"));
            } else {
                // Imported (TF.js): converted weights, so the record is of the files they were imported from.
                assertThat(card.provenance()).as("provenance of " + card.id()).containsKeys("tarballSha256",
                        "sourceFiles", "importedFiles");
                assertThat(card.recipe()).as("recipe of " + card.id()).containsKey("command");
            }
            assertThat(resolved.dir().resolve((String) card.provenance().get("licenceFile"))).as("licence of " + card.id())
                    .isRegularFile();
        } else {
            assertThat(card.recipe()).as("recipe of " + card.id()).containsKey("seed");
        }
        String namedBy = companionOf(card);
        if (namedBy != null) {
            // A recognizer or angle classifier serves through the detector that names it and is measured
            // there, as a whole; its own metrics are held by TextModelMetricsTest.
            assertThat(card.metrics()).as("metrics of " + card.id()).isNotEmpty();
            return;
        }
        List<ModelCard.Metric> measured;
        try (LoadedModel model = ModelLoader.load(resolved.dir(), Device.cpu())) {
            measured = Evaluations.forTask(card.task()).evaluate(model, repo, 0);
        }
        boolean anyBar = false;
        for (ModelCard.Metric m : measured) {
            ModelCard.Metric recorded = card.metric(m.name());
            System.out.printf("MEASURED %s %s %.4f (recorded %s)%n", card.id(), m.name(), m.value(),
                    recorded == null ? "-" : recorded.value());
            if (recorded == null && isPeer(m.name())) {
                continue; // a card that states no comparison with a peer is not held to one (blazeface-front-128)
            }
            assertThat(recorded).as("card of %s records %s", card.id(), m.name()).isNotNull();
            if (m.isTiming()) { // depends on the machine and its load: only that it was measured
                assertThat(m.value()).as("%s of %s", m.name(), card.id()).isPositive();
                continue;
            }
            assertThat(m.value()).as("%s of %s: measured vs recorded", m.name(), card.id()).isCloseTo(recorded.value(),
                    within(0.005));
            if (recorded.bar() != null) {
                anyBar = true;
                assertThat(recorded.meets(m.value())).as("%s of %s: %s against the bar %s (%s)", m.name(), card.id(), m.value(),
                        recorded.bar(), recorded.lowerIsBetter() ? "a ceiling" : "a floor").isTrue();
            }
        }
        assertThat(anyBar).as("%s has at least one metric with a bar", card.id()).isTrue();
        // A peer measured in the same run on the same data (tesseract-cer-textset beside cer-textset):
        // the model must do better than the tool users would pick instead.
        java.util.Map<String, Double> byName = new java.util.HashMap<>();
        measured.forEach(m -> byName.put(m.name(), m.value()));
        for (ModelCard.Metric m : measured) {
            int dash = m.name().indexOf('-');
            String ours = dash < 0 ? null : m.name().substring(dash + 1);
            if (ours == null || !byName.containsKey(ours) || !isPeer(m.name()) || card.metric(m.name()) == null) {
                continue;
            }
            boolean lowerIsBetter = ours.startsWith("cer") || ours.contains("false-positives");
            System.out.printf("%s: %s %.4f vs peer %s %.4f%n", card.id(), ours, byName.get(ours), m.name(), m.value());
            if (lowerIsBetter) {
                assertThat(byName.get(ours)).as("%s of %s against %s", ours, card.id(), m.name()).isLessThan(m.value());
            } else {
                assertThat(byName.get(ours)).as("%s of %s against %s", ours, card.id(), m.name()).isGreaterThan(m.value());
            }
        }
    }

    /** Peers evaluations measure beside a model when they are installed. */
    static final java.util.Set<String> PEERS = java.util.Set.of("tesseract", "haar");

    static boolean isPeer(String metric) {
        int dash = metric.indexOf('-');
        return dash > 0 && PEERS.contains(metric.substring(0, dash));
    }

    /** The built-in model whose card names {@code card} as a companion, or null. */
    static String companionOf(ModelCard card) throws Exception {
        for (String other : repo.names()) {
            ModelCard o = repo.resolve(other).card();
            if (o.companions() != null && o.companions().values().stream()
                    .anyMatch(ref -> ref.equals(card.id()) || ref.equals(card.name()))) {
                return o.id();
            }
        }
        return null;
    }
}
