package io.imageworker.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Chooses where models run from the {@code image-worker.inference.device} setting: {@code auto}
 * takes the first GPU when the engine sees one (a CUDA build of libmxnet supplied through
 * {@code MXNET_LIBRARY_PATH}) and the CPU otherwise; {@code cpu}; or {@code gpu:N}.
 */
public final class DeviceSelector {

    private DeviceSelector() {}

    /**
     * The device for {@code setting}, asking the DJL engine how many GPUs it sees. Accepts
     * {@code auto} (also for null), {@code cpu}, {@code gpu} (= {@code gpu:0}) or {@code gpu:N},
     * case-insensitive.
     *
     * @throws IllegalArgumentException for any other value, or a GPU index the engine does not see
     */
    public static Device select(String setting) {
        return select(setting, Engine.getInstance().getGpuCount());
    }

    /** Pure form for tests: {@code gpus} is how many GPUs the engine reports. */
    static Device select(String setting, int gpus) {
        String s = setting == null ? "auto" : setting.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu")) {
            s = "gpu:0";
        }
        if (s.matches("gpu:\\d{1,3}")) {
            int index = Integer.parseInt(s.substring(4));
            if (index >= gpus) {
                throw new IllegalArgumentException("device " + setting + " requested but the engine sees " + gpus
                        + " GPU(s); supply a CUDA build of libmxnet through MXNET_LIBRARY_PATH or use 'cpu'");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("device must be auto, cpu or gpu:N, was '" + setting + "'");
    }
}
