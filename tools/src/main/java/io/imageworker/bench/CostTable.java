package io.imageworker.bench;

import java.util.Map;

/**
 * What 1,000 images cost on CPUs bought by the hour, beside Cloud Vision's list price: the bench's
 * cost rows. Pure arithmetic on a measured CPU time per image.
 */
public final class CostTable {

    /**
     * Default price of one vCPU for one hour, US dollars: AWS EC2 on-demand {@code m7i.large} (2 vCPU,
     * 8 GiB) in us-east-1, Linux, $0.1008 per hour, halved. A general-purpose instance, memory included;
     * pass your own with {@code --vcpu-hour-price}.
     */
    public static final double DEFAULT_VCPU_HOUR_PRICE = 0.1008 / 2;

    /**
     * Cloud Vision's list price per 1,000 units, US dollars, for the feature matching each task
     * (label, text, face, safe-search, image-properties detection: $1.50 per 1,000 at the first paid
     * volume tier, as issue 25 quotes it; the first 1,000 units a month are free).
     */
    public static final Map<String, Double> CLOUD_VISION_PER_1000 = Map.of(
            "classify", 1.50, "text", 1.50, "faces", 1.50, "safe-search", 1.50, "properties", 1.50);

    /** The Cloud Vision feature each task is compared with. */
    public static final Map<String, String> CLOUD_VISION_FEATURE = Map.of(
            "classify", "LABEL_DETECTION", "text", "TEXT_DETECTION", "faces", "FACE_DETECTION",
            "safe-search", "SAFE_SEARCH_DETECTION", "properties", "IMAGE_PROPERTIES");

    private CostTable() {}

    /**
     * The cost of 1,000 images, US dollars.
     *
     * @param cpuSecondsPerImage CPU time one image costs end to end, in seconds (all cores counted)
     * @param vcpuHourPrice price of one vCPU for one hour, US dollars
     * @throws IllegalArgumentException for a negative or not finite input
     */
    public static double per1000(double cpuSecondsPerImage, double vcpuHourPrice) {
        if (!(cpuSecondsPerImage >= 0) || !(vcpuHourPrice >= 0) || Double.isInfinite(cpuSecondsPerImage)
                || Double.isInfinite(vcpuHourPrice)) {
            throw new IllegalArgumentException("CPU seconds per image and the vCPU-hour price must be finite and not"
                    + " negative: " + cpuSecondsPerImage + ", " + vcpuHourPrice);
        }
        return cpuSecondsPerImage * 1000 / 3600 * vcpuHourPrice;
    }

    /**
     * One row's comparison: the cost of 1,000 images and its ratio to the matching Cloud Vision
     * feature's list price, e.g. {@code $0.00320 per 1,000 (1/470 of Cloud Vision LABEL_DETECTION's $1.50)}.
     */
    public static String compare(String task, double cpuSecondsPerImage, double vcpuHourPrice) {
        double cost = per1000(cpuSecondsPerImage, vcpuHourPrice);
        Double vision = CLOUD_VISION_PER_1000.get(task);
        String own = String.format("$%.5f per 1,000", cost);
        if (vision == null) {
            return own;
        }
        String ratio = cost > 0 ? String.format("1/%,.0f of", vision / cost) : "none of";
        return String.format("%s (%s Cloud Vision %s's $%.2f)", own, ratio, CLOUD_VISION_FEATURE.get(task), vision);
    }
}
