package io.imageworker.tasks.objects;

import io.imageworker.tasks.faces.Letterbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One object found, in pixels of the input as a viewer shows it (EXIF-turned; also when it was
 * decoded subsampled).
 *
 * @param name its COCO-80 class name ({@link CocoLabels#NAMES})
 * @param score the class score in [0, 1]
 * @param x left edge, pixels
 * @param y top edge, pixels
 * @param width box width, pixels
 * @param height box height, pixels
 */
public record FoundObject(String name, double score, double x, double y, double width, double height) {

    /**
     * The detections of one letterboxed view in input pixels: each corner from model-input pixels
     * through {@code view} ({@link Letterbox#imageX}) to the decoded image's pixels, clipped to it
     * (a box may reach into the padding), then times {@code subsampling}. The image the task gets is
     * already turned as its EXIF orientation says, so these are the turned image's pixels.
     *
     * @param detections from {@link NanodetDecoder#decode}, model-input pixels, best first
     * @param view how the decoded image was put into the model input
     * @param decodedWidth the decoded image's width, pixels
     * @param decodedHeight the decoded image's height, pixels
     * @param subsampling the whole factor the input was decoded at (1: every pixel)
     * @return one per detection, same order; a box left empty by the clipping is left out
     */
    public static List<FoundObject> inInput(List<NanodetDecoder.Detection> detections, Letterbox view, int decodedWidth,
            int decodedHeight, int subsampling) {
        List<FoundObject> out = new ArrayList<>();
        double size = view.size();
        for (NanodetDecoder.Detection d : detections) {
            double x1 = clip(view.imageX(d.x1() / size), decodedWidth);
            double y1 = clip(view.imageY(d.y1() / size), decodedHeight);
            double x2 = clip(view.imageX(d.x2() / size), decodedWidth);
            double y2 = clip(view.imageY(d.y2() / size), decodedHeight);
            if (x2 <= x1 || y2 <= y1) {
                continue;
            }
            out.add(new FoundObject(CocoLabels.NAMES.get(d.classIndex()), d.score(), x1 * subsampling, y1 * subsampling,
                    (x2 - x1) * subsampling, (y2 - y1) * subsampling));
        }
        return out;
    }

    private static double clip(double v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    /** As the item JSON has it: {@code name}, {@code score} (6 decimals), {@code box {x, y, width, height}} (0.1 px). */
    public Map<String, Object> json() {
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("x", tenth(x));
        box.put("y", tenth(y));
        box.put("width", tenth(width));
        box.put("height", tenth(height));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("score", Math.round(score * 1e6) / 1e6);
        out.put("box", box);
        return out;
    }

    /** {@code scale} times every coordinate (input pixels to the pixels of an image drawn at another size). */
    FoundObject scaled(double scale) {
        return new FoundObject(name, score, x * scale, y * scale, width * scale, height * scale);
    }

    private static double tenth(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
