package io.imageworker.tasks.annotate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.events.ItemResult;
import io.imageworker.tasks.FeaturePlans;
import io.imageworker.tasks.VisionJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Cloud Vision's output files of an {@code asyncBatchAnnotate} request, written under the request's
 * destination and named as Cloud Vision names them, {@code output-<first>-to-<last>.json} (1-based
 * response numbers, at most {@code batchSize} responses a file, the last file shorter):
 * <ul>
 *   <li>{@code images:asyncBatchAnnotate}: one destination for the body; each file
 *       {@code {"responses": [...]}}, the {@code AnnotateImageResponse}s in request order, each with
 *       {@code context.uri};
 *   <li>{@code files:asyncBatchAnnotate}: each request (document) under its own destination; each file an
 *       {@code AnnotateFileResponse} {@code {"inputConfig": {...}, "responses": [...]}}, one response per
 *       page in page order (every page is read, so response K is page K), each with {@code context.uri}
 *       and {@code context.pageNumber}. A document that could not be read at all (missing, damaged, not
 *       the declared type) gets {@code output-1-to-1.json} with the file's {@code error} and one response
 *       carrying the same {@code error} and {@code context.uri}, so that readers of either field see it.
 * </ul>
 * A response that failed, or whose features partly failed, carries {@code error} (a google.rpc.Status).
 */
final class VisionOutputFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Item fields of the worker's own, never part of a Cloud Vision response. */
    private static final Set<String> NATIVE_FIELDS = Set.of("index", "uri", "id", "status", "error", "width", "height",
            "labels", "artifacts", "page", "dpi", AnnotateTask.FEATURE_ERRORS);

    private VisionOutputFiles() {}

    /**
     * Writes the output files of {@code features}' request from the job's {@code items} (in job order);
     * completes with each file's URI by artifact name: {@code output-1-to-20} for an images request,
     * {@code requests/<i>/output-1-to-20} for request {@code i} (from 0) of a files request. None for a
     * job that is not such a request.
     */
    static CompletableFuture<Map<String, String>> write(FeaturePlans features, List<ItemResult> items,
            ArtifactWriter artifacts) {
        Map<String, CompletableFuture<String>> written = new LinkedHashMap<>();
        try {
            if (!features.files().isEmpty()) {
                Map<Integer, List<ItemResult>> byInput = new LinkedHashMap<>();
                items.forEach(item -> byInput.computeIfAbsent(item.index(), i -> new ArrayList<>()).add(item));
                for (int i = 0; i < features.files().size(); i++) {
                    FeaturePlans.FileOutput file = features.files().get(i);
                    document(file, byInput.getOrDefault(i, List.of()), artifacts.at(file.destination()),
                            "requests/" + i + "/", written);
                }
            } else if (features.visionOutput() != null) {
                ArtifactWriter destination = artifacts.at(features.visionOutput());
                List<ObjectNode> responses = items.stream().map(VisionOutputFiles::response).toList();
                batches(null, responses, features.batchSize(), destination, "", written);
            }
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(written.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, String> out = new LinkedHashMap<>();
            written.forEach((name, uri) -> out.put(name, uri.join()));
            return out;
        });
    }

    /** One document's files: its pages' responses in batches, or its own failure. */
    private static void document(FeaturePlans.FileOutput file, List<ItemResult> pages, ArtifactWriter destination,
            String names, Map<String, CompletableFuture<String>> written) throws JsonProcessingException {
        ObjectNode inputConfig = F.objectNode();
        inputConfig.putObject("gcsSource").put("uri", file.uri());
        if (file.mimeType() != null) {
            inputConfig.put("mimeType", file.mimeType());
        }
        List<ObjectNode> responses = pages.stream().map(VisionOutputFiles::response).toList();
        boolean unread = pages.size() == 1 && !pages.get(0).succeeded() && page(pages.get(0)) == null;
        if (unread) {
            ObjectNode out = fileResponse(inputConfig, responses);
            out.set("error", responses.get(0).get("error").deepCopy());
            put(written, names, outputFile(1, 1), destination, out);
            return;
        }
        batches(inputConfig, responses, file.batchSize(), destination, names, written);
    }

    /** {@code responses} in files of {@code size}, each with {@code inputConfig} first when it is not null. */
    private static void batches(ObjectNode inputConfig, List<ObjectNode> responses, int size, ArtifactWriter destination,
            String names, Map<String, CompletableFuture<String>> written) throws JsonProcessingException {
        for (int from = 0; from < responses.size(); from += size) {
            int to = Math.min(responses.size(), from + size);
            put(written, names, outputFile(from + 1, to), destination, fileResponse(inputConfig, responses.subList(from, to)));
        }
    }

    private static ObjectNode fileResponse(ObjectNode inputConfig, List<ObjectNode> responses) {
        ObjectNode file = F.objectNode();
        if (inputConfig != null) {
            file.set("inputConfig", inputConfig.deepCopy());
        }
        ArrayNode list = file.putArray("responses");
        responses.forEach(list::add);
        return file;
    }

    private static void put(Map<String, CompletableFuture<String>> written, String names, String file,
            ArtifactWriter destination, ObjectNode body) throws JsonProcessingException {
        written.put(names + file.substring(0, file.length() - ".json".length()),
                destination.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body), "application/json"));
    }

    /** Cloud Vision's name of the output file holding responses {@code first} to {@code last} (1-based). */
    static String outputFile(int first, int last) {
        return "output-" + first + "-to-" + last + ".json";
    }

    /** The page number of a document page's item, or null for an image or a document that was not read. */
    private static Integer page(ItemResult item) {
        return item.extra() != null && item.extra().get("page") instanceof Integer n ? n : null;
    }

    /**
     * One {@code AnnotateImageResponse}: the item's annotations; {@code error} when the image or page
     * failed (its error) or a feature did (the first failed feature's status, its message naming every
     * failed feature); {@code context.uri}, the image or document, and {@code context.pageNumber} for a
     * document's page.
     */
    static ObjectNode response(ItemResult item) {
        JsonNode node = JSON.valueToTree(item);
        ObjectNode r = F.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!NATIVE_FIELDS.contains(e.getKey())) {
                r.set(e.getKey(), e.getValue());
            }
        }
        JsonNode errors = node.path(AnnotateTask.FEATURE_ERRORS);
        if (!item.succeeded() && item.error() != null) {
            r.set("error", VisionJson.status(errors.isEmpty() ? VisionJson.code(item.error().code())
                    : errors.elements().next().path("code").asInt(), item.error().message()));
        } else if (!errors.isEmpty()) {
            List<String> messages = new ArrayList<>();
            errors.fields().forEachRemaining(e -> messages.add(e.getKey() + ": " + e.getValue().path("message").asText()));
            r.set("error", VisionJson.status(errors.elements().next().path("code").asInt(), String.join("; ", messages)));
        }
        ObjectNode context = r.putObject("context").put("uri", item.uri());
        Integer page = page(item);
        if (page != null) {
            context.put("pageNumber", page);
        }
        return r;
    }
}
