package io.imageworker.tasks;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.PlannedInput;
import java.util.concurrent.Executor;

/**
 * What a task handler needs to serve one item.
 *
 * @param plan the job
 * @param input the item
 * @param artifacts where the item's files go
 * @param cpu where post-processing runs: a model's futures complete on its inference thread, which
 *     must go straight back to the next batch
 * @param subsampling the whole factor the input was decoded at (see {@link TaskHandler#inputSide}):
 *     pixel (x, y) of the image a task gets is (n x, n y) of the input; results give input pixels
 * @param width the input's width as a viewer shows it, in pixels (0 for items without an input)
 * @param height the input's height as a viewer shows it, in pixels
 * @param page the page's number (from 1) when the item is a page of a document, else 0; the item's result
 *     then carries {@code page} from the start (a Cloud Vision answer gives a page's boxes normalised)
 * @param dpi the resolution a PDF page was rendered at, dots per inch; 0 for anything else (a TIFF page or
 *     GIF frame is taken as stored); the item's result then carries {@code dpi} after {@code page} (a Cloud
 *     Vision answer gives a PDF page's size in points)
 */
public record ItemWork(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, Executor cpu, int subsampling,
        int width, int height, int page, double dpi) {

    /** A page of a document taken as stored (a TIFF page, a GIF frame), or an item that is not a page ({@code page} 0). */
    public ItemWork(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, Executor cpu, int subsampling, int width,
            int height, int page) {
        this(plan, input, artifacts, cpu, subsampling, width, height, page, 0);
    }

    /** An item that is not a page of a document. */
    public ItemWork(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, Executor cpu, int subsampling, int width,
            int height) {
        this(plan, input, artifacts, cpu, subsampling, width, height, 0);
    }

    /** An item with no input image (generate), or one decoded at full resolution whose size the image gives. */
    public ItemWork(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, Executor cpu) {
        this(plan, input, artifacts, cpu, 1, 0, 0);
    }

    /** {@code v} pixels of the decoded image in input pixels (times the subsampling). */
    public double toInput(double v) {
        return v * subsampling;
    }

    /** The job's model, typed as the handler's translator made it. */
    @SuppressWarnings("unchecked")
    public <I, O> ServedModel<I, O> model() {
        return (ServedModel<I, O>) plan.model();
    }

    /**
     * The job's priority, 0-9, higher first: passed to the model's batcher, whose queue serves
     * higher priorities first.
     */
    public int priority() {
        return plan.job().priority();
    }
}
