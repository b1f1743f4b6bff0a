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
        Map<String, Object> options) {

    public static final String FORMAT_DJL_BLOCK = "djl-block";
    public static final String FORMAT_MXNET_SYMBOL = "mxnet-symbol";

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
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(int width, int height, int channels, float[] mean, float[] std, String polarity) {

        /** The preprocessing spec the worker feeds this model with (mean 0 and std 1 when absent). */
        public io.imageworker.imaging.Preprocessor.Spec spec() {
            float[] m = mean == null ? new float[] {0f} : mean;
            float[] s = std == null ? new float[] {1f} : std;
            return new io.imageworker.imaging.Preprocessor.Spec(width, height, channels, m, s,
                    "light-on-dark".equals(polarity));
        }
    }

    /**
     * One measured result.
     *
     * @param name metric name (accuracy, mIoU, pointing-game ...)
     * @param value the value
     * @param data what it was measured on (named held-out data)
     * @param bar the level the project's tests hold the model to, if any
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metric(String name, double value, String data, Double bar) {}

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
