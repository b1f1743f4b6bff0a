package io.imageworker.tasks.text;

/** Loads OpenCV's native library (from the {@code org.openpnp:opencv} jar) once per process. */
final class OpenCv {

    private static volatile boolean loaded;

    private OpenCv() {}

    /** Loads the natives unless already loaded; cheap after the first call. */
    static void load() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    nu.pattern.OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
