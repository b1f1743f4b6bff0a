package io.imageworker.tasks;

import io.imageworker.events.ItemResult;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/** Builds successful item results with the fields every task shares. */
public final class Items {

    private Items() {}

    /**
     * A succeeded result with no artifacts; see
     * {@link #succeeded(ItemWork, BufferedImage, List, Map, Map)}.
     */
    public static ItemResult succeeded(ItemWork work, BufferedImage image, List<ItemResult.Label> labels,
            Map<String, Object> extra) {
        return succeeded(work, image, labels, null, extra);
    }

    /**
     * A succeeded result for the item: its index, URI and id from the plan, the input's width and
     * height in pixels as a viewer shows it (the file's, also when it was decoded subsampled; null
     * for an item without an image), the labels, and the artifacts
     * and task-specific extras (with {@code page} first for a page of a document, and {@code dpi} for a PDF page), each left out (null) when null or empty.
     *
     * @param artifacts artifact name ({@code mask}, {@code overlay}, ...) to the {@code s3://} URI
     *     it was written to
     */
    public static ItemResult succeeded(ItemWork work, BufferedImage image, List<ItemResult.Label> labels,
            Map<String, String> artifacts, Map<String, Object> extra) {
        Integer width = work.width() > 0 ? Integer.valueOf(work.width()) : image == null ? null : image.getWidth();
        Integer height = work.height() > 0 ? Integer.valueOf(work.height()) : image == null ? null : image.getHeight();
        if (work.page() > 0) {
            Map<String, Object> paged = new java.util.LinkedHashMap<>();
            paged.put("page", work.page());
            if (work.dpi() > 0) {
                paged.put("dpi", work.dpi());
            }
            if (extra != null) {
                paged.putAll(extra);
            }
            extra = paged;
        }
        return new ItemResult(work.input().index(), work.input().uri(), work.input().id(), ItemResult.SUCCEEDED, null,
                width, height, labels,
                artifacts == null || artifacts.isEmpty() ? null : artifacts, extra == null || extra.isEmpty() ? null : extra);
    }

    /** A score or probability to six decimals: plenty, and it keeps events small. */
    public static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
