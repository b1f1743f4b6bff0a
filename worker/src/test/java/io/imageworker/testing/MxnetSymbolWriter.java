package io.imageworker.testing;

import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.mxnet.jna.LibUtils;
import ai.djl.ndarray.NDArray;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model the way Gluon's {@code export()} does, {@code <prefix>-symbol.json} plus
 * {@code <prefix>-0000.params}, so that the worker's {@code mxnet-symbol} format can be tested
 * with a model the project makes itself. The only place that calls MXNet directly; test code only.
 */
public final class MxnetSymbolWriter {

    private MxnetSymbolWriter() {}

    /**
     * A softmax-regression graph: {@code data} (N, 1, 28, 28) -> FullyConnected(classes) -> logits,
     * with the weight (classes, 784) and bias (classes) given.
     */
    public static void writeLinear(Path dir, String prefix, NDArray weight, NDArray bias, int classes) throws IOException {
        String symbol = """
                {
                  "nodes": [
                    {"op": "null", "name": "data", "inputs": []},
                    {"op": "null", "name": "fc_weight", "attrs": {"num_hidden": "%1$d"}, "inputs": []},
                    {"op": "null", "name": "fc_bias", "attrs": {"num_hidden": "%1$d"}, "inputs": []},
                    {"op": "FullyConnected", "name": "fc", "attrs": {"num_hidden": "%1$d", "flatten": "True"},
                     "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]}
                  ],
                  "arg_nodes": [0, 1, 2],
                  "node_row_ptr": [0, 1, 2, 3, 4],
                  "heads": [[3, 0, 0]],
                  "attrs": {"mxnet_version": ["int", 10901]}
                }
                """.formatted(classes);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(prefix + "-symbol.json"), symbol);
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("arg:fc_weight", weight);
        params.put("arg:fc_bias", bias);
        saveParams(dir.resolve(prefix + "-0000.params"), params);
    }

    /** The two functions of the MXNet C API this needs. */
    interface Api extends Library {
        int MXNDArraySave(String fname, int num, Pointer[] handles, String[] keys);

        String MXGetLastError();
    }

    /** MXNet's own NDArray list file, as {@code mx.nd.save} writes it. */
    static void saveParams(Path file, Map<String, NDArray> params) throws IOException {
        Api lib = Native.load(LibUtils.getLibName(), Api.class);
        List<Pointer> handles = new ArrayList<>();
        for (NDArray a : params.values()) {
            handles.add(((MxNDArray) a).getHandle());
        }
        int rc = lib.MXNDArraySave(file.toString(), handles.size(), handles.toArray(Pointer[]::new),
                params.keySet().toArray(String[]::new));
        if (rc != 0) {
            throw new IOException("MXNDArraySave failed with " + rc + ": " + lib.MXGetLastError());
        }
    }
}
