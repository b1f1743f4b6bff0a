package io.imageworker.training.onnx;

import java.lang.reflect.Field;

/** Reads a DJL block's configuration that DJL keeps in fields without getters (transposed convolution, batch norm). */
final class Fields {

    private Fields() {}

    /**
     * The value of {@code owner}'s field {@code name} in {@code target}.
     *
     * @throws IllegalStateException when DJL no longer has that field (another DJL version): the
     *     exporter must be updated, never guess
     */
    @SuppressWarnings("unchecked")
    static <T> T read(Class<?> owner, Object target, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return (T) f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + owner.getSimpleName() + "." + name + " (DJL version?): " + e, e);
        }
    }
}
