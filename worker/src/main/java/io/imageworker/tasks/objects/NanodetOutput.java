package io.imageworker.tasks.objects;

import java.util.List;

/**
 * NanoDet's six raw outputs for one image, per level (strides 8, 16, 32): class scores (cells x 80,
 * already through a sigmoid) and box distributions (cells x 4 sides x 11 bins), row-major; decoded
 * off the inference thread by {@link NanodetDecoder}.
 *
 * @param scores {@code Identity}, {@code Identity_1}, {@code Identity_2}
 * @param boxes {@code Identity_3}, {@code Identity_4}, {@code Identity_5}
 */
public record NanodetOutput(List<float[]> scores, List<float[]> boxes) {}
