package io.imageworker.tasks.generate;

import jakarta.inject.Singleton;
import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.imaging.Png;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import io.imageworker.job.PlannedInput;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.MakesItems;
import io.imageworker.tasks.ReportsSection;
import io.imageworker.tasks.Finishes;
import io.imageworker.tasks.ItemWork;
import io.imageworker.tasks.JobPlan;
import io.imageworker.artifacts.Html;
import io.imageworker.artifacts.ReportSection;
import java.util.Set;

/**
 * {@code generate}: no inputs. {@code count} samples (default 8), sample i from the latent vector of
 * seed {@code seed + i} (so the same seed gives the same images), each of class
 * {@code labels[i % n]} (default: cycling through the classes); or, with {@code walk}, {@code steps}
 * images along the path between two seeds' latent vectors. One PNG per sample and a grid of all.
 */
@Singleton
public final class GenerateTask implements ServesModels, MakesItems, ReportsSection, Finishes {

    static final int DEFAULT_COUNT = 8;
    static final int DEFAULT_STEPS = 8;
    private static final SecureRandom SEEDS = new SecureRandom();

    /** Samples of jobs in flight, kept for the grid; removed when the job finishes. */
    private final Map<String, Map<Integer, GeneratedImage>> samples = new ConcurrentHashMap<>();

    @Override
    public String task() {
        return "generate";
    }

    @Override
    public String defaultModel() {
        return "mnist-dcgan";
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return new GenerateTranslator(card.intOption("latent", GenerateTranslator.DEFAULT_LATENT),
                card.intOption("classes", GenerateTranslator.DEFAULT_CLASSES));
    }

    /** A zero latent vector of the card's size, class 0. */
    @Override
    public Object sampleInput(ModelCard card) {
        return new GeneratorInput(new float[card.intOption("latent", GenerateTranslator.DEFAULT_LATENT)], 0);
    }

    @Override
    public void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception {
        for (JsonNode l : job.options().path("labels")) {
            if (!model.card().labels().contains(l.asText())) {
                throw Rejection.exception(Rejection.INVALID_JOB, "options.labels names '" + l.asText()
                        + "', which model " + model.card().id() + " cannot draw (it knows " + model.card().labels() + ")",
                        job.jobId());
            }
        }
        if (job.inputs() != null && !job.inputs().isEmpty() || job.inputPrefix() != null) {
            throw Rejection.exception(Rejection.INVALID_JOB, "generate takes no inputs", job.jobId());
        }
    }

    /** One item per sample; the seed of each is in its id so that results say how to redo it. */
    @Override
    public List<PlannedInput> items(JobRequest job) {
        JsonNode o = job.options();
        int n = o.has("walk") ? o.path("walk").path("steps").asInt(DEFAULT_STEPS) : o.path("count").asInt(DEFAULT_COUNT);
        if (!o.has("seed") && !o.has("walk")) {
            // the worker picks the seed and records it in the options it reports on each item
            ((ObjectNode) o).put("seed", SEEDS.nextLong() & ((1L << 53) - 1));
        }
        List<PlannedInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PlannedInput(i, null, "sample-" + i, null, null));
        }
        return out;
    }

    /** The sample's class and seed, the two things that reproduce it. */
    @Override
    public ReportSection reportSection(JobPlan plan) {
        return ReportSection.of(Set.of("label", "seed"), item -> {
            List<String> header = new ArrayList<>(List.of("class"));
            List<String> row = new ArrayList<>(List.of(Html.esc(item.path("label").asText())));
            if (item.has("seed")) {
                header.add("seed");
                row.add(Html.esc(item.path("seed").asText()));
            }
            return Html.table(header, List.of(row));
        });
    }

    @Override
    public CompletableFuture<ItemResult> process(ItemWork work, BufferedImage none) {
        ServedModel<GeneratorInput, GeneratedImage> model = work.model();
        ModelCard card = model.card();
        JsonNode o = work.plan().job().options();
        int i = work.input().index();
        int latentSize = card.intOption("latent", GenerateTranslator.DEFAULT_LATENT);
        double truncation = card.taskOption(Latents.TRUNCATION_OPTION, 0);
        float[] latent;
        Long seed = null;
        if (o.has("walk")) {
            JsonNode walk = o.path("walk");
            int steps = walk.path("steps").asInt(DEFAULT_STEPS);
            latent = Latents.walk(walk.path("fromSeed").asLong(), walk.path("toSeed").asLong(), latentSize, steps,
                    truncation).get(i);
        } else {
            seed = o.path("seed").asLong() + i;
            latent = Latents.fromSeed(seed, latentSize, truncation);
        }
        String label = label(o, card, i);
        GeneratorInput input = new GeneratorInput(latent, card.labels().indexOf(label));
        Long sampleSeed = seed;
        return model.infer(input, work.priority()).thenComposeAsync(img -> {
            samples.computeIfAbsent(work.plan().job().jobId(), k -> new ConcurrentHashMap<>()).put(i, img);
            BufferedImage png = Png.grey(img.pixels(), img.width(), img.height());
            return work.artifacts().write(ArtifactWriter.itemKey(i, "sample.png"), Png.encode(png), "image/png")
                    .thenApply(uri -> {
                        Map<String, Object> extra = new LinkedHashMap<>();
                        extra.put("label", label);
                        if (sampleSeed != null) {
                            extra.put("seed", sampleSeed);
                        }
                        return new ItemResult(i, null, work.input().id(), ItemResult.SUCCEEDED, null, img.width(),
                                img.height(), null, Map.of("image", uri), extra);
                    });
        }, work.cpu());
    }

    static String label(JsonNode options, ModelCard card, int i) {
        JsonNode labels = options.path("labels");
        if (labels.isArray() && labels.size() > 0) {
            return labels.get(i % labels.size()).asText();
        }
        if (options.has("walk")) {
            return card.labels().get(0);
        }
        return card.labels().get(i % card.labels().size());
    }

    /** A grid of the job's samples, in order, as {@code grid.png}. */
    @Override
    public CompletableFuture<Map<String, String>> finish(JobPlan plan, List<ItemResult> items, ArtifactWriter artifacts) {
        Map<Integer, GeneratedImage> done = samples.remove(plan.job().jobId());
        if (done == null || done.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        GeneratedImage first = done.values().iterator().next();
        int n = items.size();
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int cw = first.width();
        int ch = first.height();
        BufferedImage grid = new BufferedImage(cols * cw, rows * ch, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grid.createGraphics();
        try {
            done.forEach((i, img) -> g.drawImage(Png.grey(img.pixels(), img.width(), img.height()), (i % cols) * cw,
                    (i / cols) * ch, null));
        } finally {
            g.dispose();
        }
        return artifacts.write("grid.png", Png.encode(grid), "image/png").thenApply(uri -> Map.of("grid", uri));
    }
}
