package io.imageworker.tasks;

import io.imageworker.events.ItemResult;
import io.imageworker.imaging.ImageDecoder;
import io.imageworker.storage.S3Location;
import java.awt.image.BufferedImage;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one item of a job by another task's plan (an annotate feature's task, the photo-label task of
 * a classify job) on the image the job already decoded, so that the input is fetched and decoded once.
 */
public final class SubPlans {

    private SubPlans() {}

    /**
     * One item by the task of {@code sub}, on {@code image} subsampled further to what that task needs
     * ({@link SubsamplesInput}), its artifacts under {@code sub}'s output (and the item's own place, see
     * {@link #folder}), the page number kept. The result is in input pixels, as every task gives them. A
     * task that throws gives a failed future.
     *
     * @param work the item as the calling job's task got it
     * @param image the decoded input, subsampled by {@code work.subsampling()}
     */
    public static CompletableFuture<ItemResult> serve(JobPlan sub, ItemWork work, BufferedImage image) {
        try {
            int side = SubsamplesInput.of(sub);
            int wanted = work.width() > 0 ? ImageDecoder.subsampling(work.width(), work.height(), side) : 1;
            int factor = Math.max(1, wanted / work.subsampling());
            ItemWork own = new ItemWork(sub, work.input(), work.artifacts().at(folder(work, sub)), work.cpu(),
                    work.subsampling() * factor, work.width(), work.height(), work.page(), work.dpi());
            return sub.handler().process(own, ImageDecoder.subsample(image, factor));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Where the sub-plan's task writes an item's files: its folder {@code <output>/<task>/}, plus the item's
     * own place under the job's output (a document page's {@code pages/<n>/}), so that the pages of one
     * input do not overwrite each other's.
     */
    static S3Location folder(ItemWork work, JobPlan sub) {
        S3Location job = work.plan().output();
        S3Location item = work.artifacts().prefix();
        if (item.bucket().equals(job.bucket()) && item.key().startsWith(job.key()) && item.key().length() > job.key().length()) {
            return sub.output().resolve(item.key().substring(job.key().length()));
        }
        return sub.output();
    }
}
