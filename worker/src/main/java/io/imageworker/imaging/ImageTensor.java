package io.imageworker.imaging;

/**
 * A preprocessed image as the network takes it: channels-first floats, already scaled and
 * normalised. Plain Java so that decoding and preprocessing run off the inference thread without
 * touching native memory; the translator copies it into the batch's NDArray.
 *
 * @param data {@code channels * height * width} values, channel-major then row-major
 * @param channels 1 or 3
 * @param height rows
 * @param width columns
 */
public record ImageTensor(float[] data, int channels, int height, int width) {

    /**
     * Checks that {@code data} holds exactly {@code channels * height * width} values (the shape
     * (C, H, W) of one batch row).
     *
     * @throws IllegalArgumentException otherwise
     */
    public ImageTensor {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException(
                    "tensor of " + data.length + " values is not " + channels + "x" + height + "x" + width);
        }
    }
}
