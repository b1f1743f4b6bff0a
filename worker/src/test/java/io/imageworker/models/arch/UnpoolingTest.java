package io.imageworker.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DeconvNet's unpooling, built from comparisons, against cases worked out by hand. */
class UnpoolingTest {

    // Channel 0: one clear maximum (top left), ties at 2 (top right), an all-zero window (bottom
    // left, as after a ReLU), one clear maximum (bottom right). Channel 1 is its negation.
    private static final float[] X = {
        1, 5, 2, 2,
        3, 4, 2, 0,
        0, 0, 7, 1,
        0, 0, 6, 9,
    };

    private static NDArray twoChannels(NDManager m) {
        float[] both = new float[32];
        for (int i = 0; i < 16; i++) {
            both[i] = X[i];
            both[16 + i] = -X[i];
        }
        return m.create(both, new Shape(1, 2, 4, 4));
    }

    @Test
    void putsEachValueWhereItsWindowsFirstMaximumWas() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pooled = m.create(new float[] {10, 20, 30, 40, 50, 60, 70, 80}, new Shape(1, 2, 2, 2));
            float[] out = Unpooling.unpool(twoChannels(m), pooled).toFloatArray();
            float[] expected = {
                // channel 0: 5 at (0,1); the first 2 at (0,2); the first 0 at (2,0); 9 at (3,3)
                0, 10, 20, 0,
                0, 0, 0, 0,
                30, 0, 0, 0,
                0, 0, 0, 40,
                // channel 1 (negated): -1 at (0,0); 0 at (1,3); the first 0 at (2,0); -1 at (2,3)
                50, 0, 0, 0,
                0, 0, 0, 60,
                70, 0, 0, 80,
                0, 0, 0, 0,
            };
            assertThat(out).containsExactly(expected);
        }
    }

    @Test
    void switchesMarkExactlyOnePositionPerWindow() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(5);
            float[] v = new float[2 * 3 * 8 * 6];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextInt(3); // many ties
            }
            NDArray x = m.create(v, new Shape(2, 3, 8, 6));
            NDArray s = Unpooling.switches(x);
            NDArray perWindow = ai.djl.nn.pooling.Pool.avgPool2d(s, new Shape(2, 2), new Shape(2, 2),
                    new Shape(0, 0), false, true).mul(4);
            assertThat(perWindow.toFloatArray()).containsOnly(1f);
            // and the marked value is the window's maximum
            NDArray pooledMax = ai.djl.nn.pooling.Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            assertThat(Unpooling.unpool(x, pooledMax).sub(x.mul(s)).abs().max().getFloat()).isZero();
        }
    }

    @Test
    void theBlockRoutesGradientsToTheInnerPathOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Unpooling.around(Blocks.identityBlock());
            block.initialize(m, DataType.FLOAT32, new Shape(1, 2, 4, 4));
            NDArray x = twoChannels(m);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(1, 2, 4, 4));
                gc.backward(y.sum());
            }
            // max pool then unpool with nothing between keeps each window's maximum in place; the
            // gradient reaches exactly those positions (through the pool), none through the switches
            float[] grad = x.getGradient().toFloatArray();
            float[] s = Unpooling.switches(twoChannels(m)).toFloatArray();
            assertThat(grad).containsExactly(s);
        }
    }

    @Test
    void refusesShapesThatDoNotPairUp() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Unpooling.unpool(m.zeros(new Shape(1, 2, 4, 4)), m.zeros(new Shape(1, 3, 2, 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot unpool");
            assertThatThrownBy(() -> Unpooling.switches(m.zeros(new Shape(1, 1, 5, 4))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
        }
    }

    @Test
    void deconvNetAndFcnReturnLogitsAtTheInputsSize() {
        for (String arch : new String[] {"seg-deconvnet", "seg-fcn"}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block net = Architectures.build(arch, Map.of("classes", 11, "width", 4, "fc", 8, "fcKernel", 3));
                net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 64, 64));
                NDArray y = net.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(2, 1, 64, 64))), false)
                        .singletonOrThrow();
                assertThat(y.getShape()).as(arch).isEqualTo(new Shape(2, 11, 64, 64));
            }
        }
    }
}
