package io.imageworker.tasks;

import io.imageworker.events.ItemResult;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/** Builds successful item results with the fields every task shares. */
public final class Items {

    private Items() {}

    public static ItemResult succeeded(ItemWork work, BufferedImage image, List<ItemResult.Label> labels,
            Map<String, Object> extra) {
        return succeeded(work, image, labels, null, extra);
    }

    public static ItemResult succeeded(ItemWork work, BufferedImage image, List<ItemResult.Label> labels,
            Map<String, String> artifacts, Map<String, Object> extra) {
        return new ItemResult(work.input().index(), work.input().uri(), work.input().id(), ItemResult.SUCCEEDED, null,
                image == null ? null : image.getWidth(), image == null ? null : image.getHeight(), labels,
                artifacts == null || artifacts.isEmpty() ? null : artifacts, extra == null || extra.isEmpty() ? null : extra);
    }
}
