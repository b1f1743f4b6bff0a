package io.imageworker.cli;

import io.imageworker.models.ModelCard;
import io.imageworker.training.Evaluations;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.training.tfjs.FaceApiTopology;
import io.imageworker.training.tfjs.TfjsImporter;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code import}: turns a TF.js layers model folder into a model version folder of the repository. */
@Unremovable
@Dependent
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Imports a TF.js layers model (model.json + weight shards), or a weights manifest of a network "
                + "known by name (--architecture), and writes <out>/<name>/<version>/ "
                + "(DJL MXNet parameters, graph.json, model.json with provenance).")
public class ImportCommand implements Callable<Integer> {

    @Option(names = "--tfjs", required = true, description = "TF.js model folder (model.json, a layers model or a "
            + "graph model, and its shards; "
            + "an optional SOURCE.json and LICENSE become the card's provenance).")
    Path tfjs;

    @Option(names = "--task", required = true, description = "Task the model serves (for example safe-search).")
    String task;

    @Option(names = "--out", required = true, description = "Model repository root to write into.")
    Path out;

    @Option(names = "--name", description = "Model name (default: the folder's name).")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version folder (default: ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--labels", split = ",", description = "Class names in output order, comma-separated "
            + "(default: the task evaluation's, for safe-search nsfwjs's drawing,hentai,neutral,porn,sexy).")
    List<String> labels;

    @Option(names = "--architecture", description = "The network of a folder that holds only a weights manifest "
            + "(*-weights_manifest.json and its shards): face-api-landmark-68 or face-api-expression "
            + "(@vladmandic/face-api's face_landmark_68_model and face_expression_model).")
    String architecture;

    @Option(names = "--evaluate", negatable = true, description = "Measure the imported model by its task's evaluation and "
            + "record the metrics on its card (default: on where the task's evaluation is parity with the recorded "
            + "original, as safe-search's; the other tasks' evaluations are for the project's own models).")
    Boolean evaluate;

    @Override
    public Integer call() throws Exception {
        ModelEvaluation evaluation = Evaluations.find(task).orElse(null);
        List<String> l = labels != null ? labels : evaluation != null && evaluation.importLabels() != null
                ? evaluation.importLabels() : architecture != null ? FaceApiTopology.labels(architecture) : null;
        String n = name != null ? name : tfjs.toAbsolutePath().normalize().getFileName().toString();
        String command = "import --tfjs DIR --task " + task + " --out DIR --name " + n + " --model-version " + version
                + (architecture == null ? "" : " --architecture " + architecture)
                + (labels == null ? "" : " --labels " + String.join(",", labels));
        ModelCard card = TfjsImporter.importModel(new TfjsImporter.Request(tfjs, out, task, n, version, l, null, command,
                evaluate != null ? evaluate : evaluation != null && evaluation.measuresImports(), architecture));
        Object graphOutputs = card.architectureOptions().get(io.imageworker.models.graph.TfGraph.OUTPUTS);
        int outputs = graphOutputs instanceof List<?> l2 ? l2.size() : card.labels().size();
        System.out.println("wrote " + out.resolve(card.name()).resolve(card.version()) + " ("
                + card.architectureOptions().get("nodes") + " nodes, " + outputs + " outputs)");
        card.metrics().forEach(m -> System.out.printf("  %s = %s  (%s)%n", m.name(), EvaluateCommand.fmt(m.value()), m.data()));
        return 0;
    }
}
