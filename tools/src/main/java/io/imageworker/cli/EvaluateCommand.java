package io.imageworker.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.training.Evaluations;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import io.quarkus.arc.Unremovable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: recomputes each model's metrics on data the application carries and prints
 * them beside the ones its card recorded. Exit status 1 when a model falls below its bar.
 */
@Unremovable
@Dependent
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Recomputes model metrics on data the application carries, beside the recorded ones.",
            "Covers every model of the repository (default: the built-in ones). Exit status 1 if any falls below its bar."})
public class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--models", defaultValue = "classpath", description = "Model repository: a folder or 'classpath' (default).")
    String repository;

    @Option(names = "--model", description = "Only this model (name or name:version).")
    List<String> only;

    @Option(names = "--limit", defaultValue = "0",
            description = "Evaluate on at most this many examples (0: all); bars are checked on full sets only.")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws Exception {
        ModelRepository repo = ModelRepository.open(repository, Files.createTempDirectory("image-worker-evaluate"));
        List<String> refs = only != null ? only : repo.names();
        ArrayNode report = mapper.createArrayNode();
        boolean allPass = true;
        for (String ref : refs) {
            ModelRepository.Resolved resolved = repo.resolve(ref);
            ModelCard card = resolved.card();
            List<ModelCard.Metric> measured;
            long t0 = System.nanoTime();
            try (LoadedModel model = ModelLoader.load(resolved.dir(), Device.cpu())) {
                measured = Evaluations.forTask(card.task()).evaluate(model, repo, limit);
            } catch (IllegalArgumentException e) {
                // a companion (a recognizer) is measured through the model that names it
                if (!json) {
                    System.out.printf("%s (%s): %s%n", card.id(), card.task(), e.getMessage());
                }
                continue;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            ObjectNode entry = report.addObject().put("model", card.id()).put("task", card.task())
                    .put("seconds", Math.round(seconds * 10) / 10.0);
            ArrayNode metrics = entry.putArray("metrics");
            if (!json) {
                System.out.printf("%s (%s), %.1f s%n", card.id(), card.task(), seconds);
            }
            for (ModelCard.Metric m : measured) {
                ModelCard.Metric recorded = card.metric(m.name());
                // A bar holds for the full held-out set the card names; a --limit subset is only indicative.
                Double bar = recorded == null || limit > 0 ? null : recorded.bar();
                boolean pass = bar == null || recorded.meets(m.value());
                allPass &= pass;
                ObjectNode mn = metrics.addObject().put("name", m.name()).put("measured", m.value()).put("data", m.data());
                if (recorded != null) {
                    mn.put("recorded", recorded.value());
                }
                if (bar != null) {
                    mn.put("bar", bar).put("pass", pass);
                }
                if (!json) {
                    System.out.printf("  %-22s measured %s   recorded %s   bar %s   %s%n   on %s%n", m.name(), fmt(m.value()),
                            recorded == null ? "-" : fmt(recorded.value()),
                            bar == null ? "-" : fmt(bar), pass ? "ok" : "BELOW BAR", m.data());
                }
            }
        }
        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        return allPass ? 0 : 1;
    }

    /** Four decimals; small differences (an imported model's parity, 3e-6) in scientific notation. */
    static String fmt(double v) {
        return v != 0 && Math.abs(v) < 1e-3 ? String.format("%.2e", v) : String.format("%.4f", v);
    }
}
