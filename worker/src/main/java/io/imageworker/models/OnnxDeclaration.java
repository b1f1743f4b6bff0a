package io.imageworker.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a card's declaration of an ONNX graph against the graph itself, before anything is served:
 * a wrong input name, rank, layout or size would otherwise fail on the first job, with an engine
 * message about a tensor nobody named. DJL reports no input shapes for ONNX models, so the graph is
 * read with ONNX Runtime's own session API (metadata only, no inference).
 */
public final class OnnxDeclaration {

    private OnnxDeclaration() {}

    /**
     * What the graph takes and returns, as read from the file.
     *
     * @param inputs input names to shapes (-1 for a dynamic axis), in the graph's order
     * @param outputs output names to shapes, in the graph's order
     */
    public record Graph(Map<String, long[]> inputs, Map<String, long[]> outputs) {

        /** The batch size the graph fixes (its first input's first axis), or -1 when it is dynamic. */
        public long fixedBatch() {
            long[] s = inputs.values().iterator().next();
            return s.length == 0 ? -1 : s[0];
        }

        /** {@code x float[-1, 3, -1, -1]}, as error messages show a graph. */
        static String describe(Map<String, long[]> tensors) {
            List<String> parts = new ArrayList<>();
            tensors.forEach((n, s) -> parts.add("'" + n + "' " + Arrays.toString(s)));
            return String.join(", ", parts);
        }
    }

    private static boolean fits(long c, long h, long w, ModelCard.Input in) {
        return c == in.channels() && (h <= 0 || in.height() <= 0 || h == in.height())
                && (w <= 0 || in.width() <= 0 || w == in.width());
    }

    /** Reads the graph's inputs and outputs (float tensors only). */
    public static Graph read(Path onnxFile) throws IOException {
        // DJL's engine creates the process's one ONNX Runtime environment with its own thread
        // settings; it must come first, or DJL cannot start later.
        ai.djl.engine.Engine.getEngine(ModelLoader.ONNX_RUNTIME);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(onnxFile.toString(), options)) {
            return new Graph(shapes(session.getInputInfo(), onnxFile), shapes(session.getOutputInfo(), onnxFile));
        } catch (OrtException e) {
            throw new IOException("cannot read ONNX graph " + onnxFile.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, long[]> shapes(Map<String, NodeInfo> info, Path file) throws IOException {
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : info.entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
                throw new IOException("ONNX graph " + file.getFileName() + " has a non-tensor value '" + e.getKey()
                        + "' (" + e.getValue().getInfo() + "); only tensors are served");
            }
            if (t.type != OnnxJavaType.FLOAT) {
                throw new IOException("ONNX graph " + file.getFileName() + " has " + t.type + " tensor '" + e.getKey()
                        + "'; only float32 inputs and outputs are served");
            }
            out.put(e.getKey(), t.getShape());
        }
        return out;
    }

    /**
     * Checks {@code card} against {@code graph}.
     *
     * @throws IOException naming what the card declares and what the file actually has, when the
     *     graph has more than one input and the card names none, the named input or output is
     *     missing, the input is not of rank 4, or a static channel, height or width disagrees with
     *     the card (a card's 0 means "any size" and needs a dynamic axis or takes the graph's)
     */
    public static void check(ModelCard card, Graph graph, String file) throws IOException {
        ModelCard.Input in = card.input();
        String has = " (" + file + " has inputs " + Graph.describe(graph.inputs()) + ", outputs "
                + Graph.describe(graph.outputs()) + ")";
        if (in == null) {
            throw new IOException("model " + card.id() + " declares no input" + has);
        }
        String name = in.name();
        if (name == null) {
            if (graph.inputs().size() != 1) {
                throw new IOException("model " + card.id() + " names no input but the graph has "
                        + graph.inputs().size() + has);
            }
            name = graph.inputs().keySet().iterator().next();
        }
        long[] shape = graph.inputs().get(name);
        if (shape == null) {
            throw new IOException("model " + card.id() + " declares input '" + name + "'" + has);
        }
        String layout = in.layoutOrDefault().toUpperCase(java.util.Locale.ROOT);
        if (!layout.equals(ModelCard.Input.NCHW) && !layout.equals(ModelCard.Input.NHWC)) {
            throw new IOException("model " + card.id() + " declares layout '" + in.layout() + "' (known: NCHW, NHWC)");
        }
        if (shape.length != 4) {
            throw new IOException("model " + card.id() + " declares a " + layout + " image input but '" + name
                    + "' has rank " + shape.length + has);
        }
        boolean nchw = layout.equals(ModelCard.Input.NCHW);
        long c = nchw ? shape[1] : shape[3];
        long h = nchw ? shape[2] : shape[1];
        long w = nchw ? shape[3] : shape[2];
        String declared = "model " + card.id() + " declares " + layout + " input '" + name + "' with "
                + in.channels() + " channels, " + in.height() + "x" + in.width() + " (0 = any)";
        // The other layout's reading of the same shape, to say so when it is the one that fits.
        boolean otherFits = fits(nchw ? shape[3] : shape[1], nchw ? shape[1] : shape[2], nchw ? shape[2] : shape[3], in);
        String hint = otherFits ? "; the graph looks " + (nchw ? "NHWC" : "NCHW") : "";
        if (c > 0 && c != in.channels()) {
            throw new IOException(declared + ", but the graph's channel axis (" + (nchw ? 1 : 3) + ") is " + c + hint + has);
        }
        if ((h > 0 && in.height() > 0 && h != in.height()) || (w > 0 && in.width() > 0 && w != in.width())) {
            throw new IOException(declared + ", but the graph takes " + h + "x" + w + hint + has);
        }
        if ((h > 0 && in.height() == 0) || (w > 0 && in.width() == 0)) {
            throw new IOException(declared + ", but the graph's size is fixed at " + h + "x" + w
                    + ": declare it" + has);
        }
        ModelCard.Output out = card.output();
        if (out != null && out.name() != null && !graph.outputs().containsKey(out.name())) {
            throw new IOException("model " + card.id() + " declares output '" + out.name() + "'" + has);
        }
    }
}
