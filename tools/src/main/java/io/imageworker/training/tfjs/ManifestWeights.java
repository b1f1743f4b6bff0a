package io.imageworker.training.tfjs;

import io.imageworker.training.tfjs.TfjsWeights.Weight;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a TF.js manifest as the layers of a topology claim them: each looked up by
 * {@code layer/weight} (or a name ending in it, as some converters prefix the model's name) and
 * checked against the shape the layer needs; weights no layer claimed mean the topology and the
 * manifest disagree.
 */
final class ManifestWeights {

    private final Map<String, Weight> weights;
    private final Set<String> used = new LinkedHashSet<>();

    ManifestWeights(Map<String, Weight> weights) {
        this.weights = weights;
    }

    /**
     * Weight {@code what} of layer {@code layer}, which must have {@code shape} (TensorFlow's layout).
     *
     * @throws IllegalArgumentException when the manifest lacks it or its shape differs
     */
    Weight take(String layer, String what, int... shape) {
        String key = layer + "/" + what;
        Weight w = weights.get(key);
        if (w == null) {
            // Some converters prefix the model's name: match on the layer/weight suffix.
            w = weights.values().stream().filter(v -> v.name().endsWith("/" + key)).findFirst().orElse(null);
        }
        if (w == null) {
            throw new IllegalArgumentException("layer " + layer + " needs weight " + key + ", which the manifest lacks");
        }
        if (!Arrays.equals(w.shape(), shape)) {
            throw new IllegalArgumentException("weight " + w.name() + " has shape " + Arrays.toString(w.shape())
                    + "; layer " + layer + " needs " + Arrays.toString(shape));
        }
        used.add(w.name());
        return w;
    }

    /** @throws IllegalArgumentException when a weight of the manifest was taken by no layer */
    void requireAllUsed() {
        Set<String> unused = new LinkedHashSet<>(weights.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("weights not used by any layer (the topology and manifest disagree): "
                    + unused);
        }
    }
}
