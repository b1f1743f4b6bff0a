package io.imageworker.tasks.objects;

import java.util.List;

/**
 * The 80 COCO object classes in the order detectors trained on COCO 2017 number them (NanoDet's
 * class index k is {@code NAMES.get(k)}); the same names and order as {@code @vladmandic/human}'s
 * {@code src/object/labels.ts}.
 */
public final class CocoLabels {

    private CocoLabels() {}

    /** The name of this label set, as items carry it in {@code labelSet}. */
    public static final String SET = "coco-80";

    /** Class names, index = the model's class index. */
    public static final List<String> NAMES = List.of("person", "bicycle", "car", "motorcycle", "airplane", "bus",
            "train", "truck", "boat", "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat",
            "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie",
            "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove",
            "skateboard", "surfboard", "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl",
            "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair",
            "couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
            "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
            "teddy bear", "hair drier", "toothbrush");
}
