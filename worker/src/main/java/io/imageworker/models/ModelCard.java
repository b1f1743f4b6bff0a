package io.imageworker.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code model.json} beside a model's weights: what it does, how to feed it, what it reached on
 * which held-out data, and how it was trained. The worker reads task, format, architecture, input
 * and labels; the rest is the model's record for people.
 *
 * @param name model name, the folder under the repository root
 * @param version version, the folder under the name
 * @param task one of classify, segment, localize, generate
 * @param format {@code djl-block} (architecture built in code + DJL .params) or {@code mxnet-symbol}
 *     (symbol JSON + params exported from Gluon, served without code)
 * @param architecture for djl-block: a name known to {@link io.imageworker.models.arch.Architectures}
 * @param architectureOptions the architecture's parameters (classes, widths, latent size ...)
 * @param weights file prefix of the weights inside the version folder (DJL: {@code <weights>-0000.params})
 * @param input what the network takes
 * @param labels class names, index = class id
 * @param metrics measured results, each with the data it was measured on
 * @param recipe how it was trained: recipe name, hyper-parameters, seed, wall time
 * @param data SHA-256 of each data file the recipe read
 * @param options task defaults the model was tuned for (for example the CAM threshold)
 * @param output what the network returns (for {@code onnx}: which output, and whether it is
 *     logits or already probabilities); null: the first output, logits
 * @param companions other models this one works with, by role to reference ({@code name} or
 *     {@code name:version}): the text detector names its recognizer and angle classifier. The
 *     server loads them with it; see {@code ServedModel.companion}
 * @param provenance where third-party weights come from: package, version, file, sha256, licence,
 *     upstream project (for people and for the licence check; the worker does not read it)
 * @param labelsFile a file in the version folder with one label per line, read into
 *     {@link #labels} at load time (a recognizer's dictionary of thousands of symbols)
 * @param updateCheck when present, a worker that picks this version up while running measures it
 *     before it serves and refuses it when a metric falls short of this card's bar; null: no
 *     measurement (the weights must still load and warm up)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(
        String name,
        String version,
        String task,
        String format,
        String architecture,
        Map<String, Object> architectureOptions,
        String weights,
        Input input,
        List<String> labels,
        List<Metric> metrics,
        Map<String, Object> recipe,
        Map<String, String> data,
        Map<String, Object> options,
        Output output,
        Map<String, String> companions,
        Map<String, Object> provenance,
        String labelsFile,
        UpdateCheck updateCheck) {

    /** Architecture built in code + DJL {@code .params}; MXNet engine. */
    public static final String FORMAT_DJL_BLOCK = "djl-block";
    /** Symbol JSON + params exported from Gluon, served without code; MXNet engine. */
    public static final String FORMAT_MXNET_SYMBOL = "mxnet-symbol";
    /** An ONNX graph ({@code <weights>.onnx}), served by ONNX Runtime without code. */
    public static final String FORMAT_ONNX = "onnx";

    /**
     * A card built by name: {@code ModelCard.builder(name, version, task, format).weights(..).input(..).build()}.
     * The fields not set are null (absent from {@code model.json}); see the record's parameters for each.
     */
    public static Builder builder(String name, String version, String task, String format) {
        return new Builder().name(name).version(version).task(task).format(format);
    }

    /** A builder holding this card's fields, to build a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.version = version;
        b.task = task;
        b.format = format;
        b.architecture = architecture;
        b.architectureOptions = architectureOptions;
        b.weights = weights;
        b.input = input;
        b.labels = labels;
        b.metrics = metrics;
        b.recipe = recipe;
        b.data = data;
        b.options = options;
        b.output = output;
        b.companions = companions;
        b.provenance = provenance;
        b.labelsFile = labelsFile;
        b.updateCheck = updateCheck;
        return b;
    }

    /** This card with {@code newLabels} (the contents of {@link #labelsFile}, read at load time). */
    public ModelCard withLabels(List<String> newLabels) {
        return toBuilder().labels(newLabels).build();
    }

    /** Builds a {@link ModelCard} field by field; each setter is named after the record component it sets. */
    public static final class Builder {
        private String name;
        private String version;
        private String task;
        private String format;
        private String architecture;
        private Map<String, Object> architectureOptions;
        private String weights;
        private Input input;
        private List<String> labels;
        private List<Metric> metrics;
        private Map<String, Object> recipe;
        private Map<String, String> data;
        private Map<String, Object> options;
        private Output output;
        private Map<String, String> companions;
        private Map<String, Object> provenance;
        private String labelsFile;
        private UpdateCheck updateCheck;

        private Builder() {}

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder version(String value) {
            this.version = value;
            return this;
        }

        public Builder task(String value) {
            this.task = value;
            return this;
        }

        public Builder format(String value) {
            this.format = value;
            return this;
        }

        public Builder architecture(String value) {
            this.architecture = value;
            return this;
        }

        public Builder architectureOptions(Map<String, Object> value) {
            this.architectureOptions = value;
            return this;
        }

        public Builder weights(String value) {
            this.weights = value;
            return this;
        }

        public Builder input(Input value) {
            this.input = value;
            return this;
        }

        public Builder labels(List<String> value) {
            this.labels = value;
            return this;
        }

        public Builder metrics(List<Metric> value) {
            this.metrics = value;
            return this;
        }

        public Builder recipe(Map<String, Object> value) {
            this.recipe = value;
            return this;
        }

        public Builder data(Map<String, String> value) {
            this.data = value;
            return this;
        }

        public Builder options(Map<String, Object> value) {
            this.options = value;
            return this;
        }

        public Builder output(Output value) {
            this.output = value;
            return this;
        }

        public Builder companions(Map<String, String> value) {
            this.companions = value;
            return this;
        }

        public Builder provenance(Map<String, Object> value) {
            this.provenance = value;
            return this;
        }

        public Builder labelsFile(String value) {
            this.labelsFile = value;
            return this;
        }

        public Builder updateCheck(UpdateCheck value) {
            this.updateCheck = value;
            return this;
        }

        public ModelCard build() {
            return new ModelCard(name, version, task, format, architecture, architectureOptions, weights, input, labels, metrics, recipe, data, options, output, companions, provenance, labelsFile, updateCheck);
        }
    }

    /**
     * What a running worker measures before a new version of this model replaces the one serving:
     * the task's evaluation (the one {@code evaluate} runs) on the first {@code examples} examples
     * of the held-out data the application carries, each measured metric held to the bar this card
     * records for it.
     *
     * @param examples how many evaluation examples, at least 1 (a few hundred keep the check to a
     *     second or two)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateCheck(int examples) {}

    /** The format, {@link #FORMAT_DJL_BLOCK} when the card names none. */
    public String formatOrDefault() {
        return format == null ? FORMAT_DJL_BLOCK : format;
    }

    /**
     * What the network returns.
     *
     * @param name the output's name in the graph (ONNX); null: the first output
     * @param activation {@code logits} (the worker applies softmax, or sigmoid for a single
     *     channel), {@code softmax} (already probabilities over the class axis), {@code sigmoid}
     *     (already per-channel probabilities) or {@code linear} (a regression: the values as they are,
     *     a landmark model's coordinates)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String name, String activation) {

        /** Outputs are logits unless the card says otherwise. */
        public static final String LOGITS = "logits";
        /** The graph already ends in softmax. */
        public static final String SOFTMAX = "softmax";
        /** The graph already ends in a sigmoid per channel. */
        public static final String SIGMOID = "sigmoid";
        /** A regression: the outputs are the values themselves (coordinates), no activation applies. */
        public static final String LINEAR = "linear";

        /** {@link #activation}, {@link #LOGITS} when absent. */
        public String activationOrDefault() {
            return activation == null ? LOGITS : activation;
        }
    }

    /**
     * The network's input.
     *
     * @param width pixels (for generators: 0; the latent size is an architecture option)
     * @param height pixels
     * @param channels 1 (grayscale) or 3 (RGB)
     * @param mean subtracted per channel after scaling pixels to [0, 1]
     * @param std divisor per channel after the mean
     * @param polarity {@code light-on-dark} when the model was trained on light ink on a dark
     *     background (MNIST); inputs that are mostly light get inverted before they reach it
     * @param name the input's name in the graph (ONNX); null: the graph's only input
     * @param layout {@code NCHW} (default) or {@code NHWC}: where the channel axis is in the batch
     * @param colorOrder {@code RGB} (default) or {@code BGR}: the channel order the model was
     *     trained on (models trained on OpenCV reads want BGR)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(int width, int height, int channels, float[] mean, float[] std, String polarity,
            String name, String layout, String colorOrder) {

        /** Channels first, the default layout. */
        public static final String NCHW = "NCHW";
        /** Channels last (TensorFlow, MediaPipe). */
        public static final String NHWC = "NHWC";

        /** An input of the project's own models: NCHW, RGB, the graph's only input. */
        public Input(int width, int height, int channels, float[] mean, float[] std, String polarity) {
            this(width, height, channels, mean, std, polarity, null, null, null);
        }

        /** {@link #layout}, {@link #NCHW} when absent. */
        public String layoutOrDefault() {
            return layout == null ? NCHW : layout;
        }

        /** True when the model wants blue first ({@code colorOrder: BGR}). */
        public boolean bgr() {
            return "BGR".equalsIgnoreCase(colorOrder);
        }

        /** The preprocessing spec the worker feeds this model with (mean 0 and std 1 when absent). */
        public io.imageworker.imaging.Preprocessor.Spec spec() {
            float[] m = mean == null ? new float[] {0f} : mean;
            float[] s = std == null ? new float[] {1f} : std;
            return new io.imageworker.imaging.Preprocessor.Spec(width, height, channels, m, s,
                    "light-on-dark".equals(polarity), bgr());
        }
    }

    /**
     * One measured result.
     *
     * @param name metric name (accuracy, mIoU, pointing-game ...)
     * @param value the value
     * @param data what it was measured on (named held-out data)
     * @param bar the level the project's tests hold the model to, if any: a floor, or a ceiling
     *     for error measures ({@link #lowerIsBetter})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metric(String name, double value, String data, Double bar) {

        /**
         * True for error measures, where the bar is a ceiling: names that start with {@code cer}
         * (character error rate), speak of false positives, or are a difference from an original
         * ({@code abs-diff}: an imported model's parity). Every other metric's bar is a floor.
         */
        public boolean lowerIsBetter() {
            return name.startsWith("cer") || name.contains("-cer") || name.contains("false-positives")
                    || name.contains("abs-diff");
        }

        /**
         * True for timings (names starting {@code throughput-}): recorded for information, they depend
         * on the machine and its load, so a new measurement is not expected to repeat them.
         */
        public boolean isTiming() {
            return name.startsWith("throughput-");
        }

        /** Whether {@code measured} meets this metric's bar (always, without one). */
        public boolean meets(double measured) {
            return bar == null || (lowerIsBetter() ? measured <= bar : measured >= bar);
        }
    }

    /** The metric called {@code metricName}, or null. */
    public Metric metric(String metricName) {
        return metrics == null ? null
                : metrics.stream().filter(m -> m.name().equals(metricName)).findFirst().orElse(null);
    }

    /** An integer architecture option, or {@code fallback}. */
    public int intOption(String key, int fallback) {
        Object v = architectureOptions == null ? null : architectureOptions.get(key);
        return v instanceof Number n ? n.intValue() : fallback;
    }

    /** A numeric task option the model was tuned for, or {@code fallback}. */
    public double taskOption(String key, double fallback) {
        Object v = options == null ? null : options.get(key);
        return v instanceof Number n ? n.doubleValue() : fallback;
    }

    /** {@code name:version}, as results and metrics name the model. */
    public String id() {
        return name + ":" + version;
    }
}
