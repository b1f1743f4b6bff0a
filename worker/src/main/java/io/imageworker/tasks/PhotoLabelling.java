package io.imageworker.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.imageworker.events.ItemError;
import io.imageworker.events.ItemResult;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Photo labels in a classify job ({@link JobPlan#photoLabels}): an item the job's model abstained on
 * ({@link PhotoLabels#ABSTAINED}) is run by the {@link PhotoLabels} task, and its labels become the
 * item's {@code labels}, marked with {@code labelSet} (the task's vocabulary, {@code coco-80}). The
 * item keeps its {@code oodScore} and {@code outOfDistribution}, so it still says that the model saw
 * no digit; a digit never reaches here and keeps its digit.
 */
public final class PhotoLabelling {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Item field holding why the photo-label task failed on an item that still has its abstention. */
    public static final String ERROR = "photoLabelsError";

    private PhotoLabelling() {}

    /** True when {@code result} succeeded without an answer because its model abstained. */
    public static boolean abstained(ItemResult result) {
        return result.succeeded() && result.extra() != null && result.extra().containsKey(PhotoLabels.ABSTAINED);
    }

    /**
     * {@code result} with the photo labels of its item when the job plans them and the item
     * abstained; {@code result} itself otherwise. The labels are at most {@code maxLabels}, best
     * first, each with its {@code instances}; the photo-label task was planned to write no files
     * (any it wrote anyway are carried as {@code <task>-<name>}). A photo with no class found gets
     * {@code labelSet} and no {@code labels}. When the photo-label task fails the item keeps its
     * abstention and gets {@value #ERROR} (its item error): nothing the model said is lost.
     *
     * @param image the decoded input, as the job's task got it
     */
    public static CompletableFuture<ItemResult> label(ItemWork work, BufferedImage image, ItemResult result, int maxLabels) {
        JobPlan sub = work.plan().photoLabels();
        if (sub == null || !abstained(result)) {
            return CompletableFuture.completedFuture(result);
        }
        PhotoLabels task = (PhotoLabels) sub.handler();
        return SubPlans.serve(sub, work, image).handle((found, error) -> {
            Map<String, Object> extra = new LinkedHashMap<>(result.extra());
            if (found == null || !found.succeeded()) {
                ItemError e = found != null ? found.error() : errorOf(error);
                extra.put(ERROR, e);
                return with(result, null, null, extra);
            }
            JsonNode item = JSON.valueToTree(found);
            List<ItemResult.Label> labels = task.labels(item, maxLabels);
            extra.put(PhotoLabels.LABEL_SET, task.labelSet());
            Map<String, String> artifacts = new LinkedHashMap<>();
            if (found.artifacts() != null) {
                found.artifacts().forEach((name, uri) -> artifacts.put(task.task() + "-" + name, uri));
            }
            return with(result, labels.isEmpty() ? null : labels, artifacts.isEmpty() ? null : artifacts, extra);
        });
    }

    private static ItemResult with(ItemResult r, List<ItemResult.Label> labels, Map<String, String> artifacts,
            Map<String, Object> extra) {
        return new ItemResult(r.index(), r.uri(), r.id(), r.status(), r.error(), r.width(), r.height(), labels,
                artifacts, extra);
    }

    private static ItemError errorOf(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof ItemError.Coded coded ? coded.toItemError()
                : new ItemError("inference-failed", "the photo-label task failed on this item: " + cause);
    }
}
