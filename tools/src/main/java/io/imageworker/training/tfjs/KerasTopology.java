package io.imageworker.training.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.training.tfjs.KerasGraph.UnsupportedLayerException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Keras topology (model.json's {@code modelTopology}) read as its layers in order and, for each,
 * the names of the layers it reads: a Sequential model's chain, or a functional model's inbound
 * nodes in the Keras 2 and Keras 3 spellings.
 *
 * @param modelClass {@code Sequential}, {@code Model} or {@code Functional}
 * @param layers each layer's JSON, in the file's order
 * @param inbound for each layer, the names of the layers it reads (empty for the first); a mutable list
 */
record KerasTopology(String modelClass, List<JsonNode> layers, List<List<String>> inbound) {

    /**
     * Reads {@code topology}.
     *
     * @throws UnsupportedLayerException for another model class, several inputs or outputs, or a
     *     shared layer
     */
    static KerasTopology read(JsonNode topology) {
        JsonNode config = topology.has("model_config") ? topology.get("model_config") : topology;
        String cls = config.path("class_name").asText();
        List<JsonNode> layers = new ArrayList<>();
        List<List<String>> inbound = new ArrayList<>();
        if ("Sequential".equals(cls)) {
            JsonNode list = config.path("config").isArray() ? config.path("config") : config.path("config").path("layers");
            String previous = null;
            for (JsonNode l : list) {
                layers.add(l);
                inbound.add(previous == null ? List.of() : List.of(previous));
                previous = l.path("config").path("name").asText(l.path("name").asText());
            }
        } else if ("Model".equals(cls) || "Functional".equals(cls)) {
            JsonNode c = config.path("config");
            if (c.path("input_layers").size() != 1 || c.path("output_layers").size() != 1) {
                throw new UnsupportedLayerException("models with " + c.path("input_layers").size() + " inputs and "
                        + c.path("output_layers").size() + " outputs are not supported (one of each)");
            }
            for (JsonNode l : c.path("layers")) {
                layers.add(l);
                inbound.add(inboundNames(l));
            }
        } else {
            throw new UnsupportedLayerException("model class '" + cls + "' is not supported (Sequential, Model, Functional)");
        }
        return new KerasTopology(cls, layers, inbound);
    }

    private static List<String> inboundNames(JsonNode layer) {
        JsonNode nodesIn = layer.path("inbound_nodes");
        if (nodesIn.size() > 1) {
            throw new UnsupportedLayerException("layer " + layer.path("name").asText()
                    + " is called " + nodesIn.size() + " times (shared layers are not supported)");
        }
        List<String> names = new ArrayList<>();
        if (nodesIn.size() == 1) {
            collectHistory(nodesIn.get(0), names);
        }
        return names;
    }

    /** Keras 2 writes [[name, node, tensor, kwargs], ...]; Keras 3 nests keras_history in args. */
    private static void collectHistory(JsonNode n, List<String> names) {
        if (n.isArray() && n.size() >= 3 && n.get(0).isTextual() && n.get(1).isNumber()) {
            names.add(n.get(0).asText());
        } else if (n.has("keras_history")) {
            names.add(n.get("keras_history").get(0).asText());
        } else if (n.isContainerNode()) {
            n.forEach(c -> collectHistory(c, names));
        }
    }
}
