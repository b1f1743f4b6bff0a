package io.imageworker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.imageworker.models.ModelCard;
import io.imageworker.models.OnnxCuda;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The device choice per engine and model over given engine answers (pure logic). */
class DevicePlanTest {

    static final ModelCard ONNX = card("ppocr-det", ModelCard.FORMAT_ONNX);
    static final ModelCard MXNET = card("mnist-cnn", ModelCard.FORMAT_DJL_BLOCK);
    static final OnnxCuda.Status NO_LIBS = new OnnxCuda.Status(0, "needs libcudnn.so.9");
    static final OnnxCuda.Status ONE_GPU = new OnnxCuda.Status(1, null);

    static ModelCard card(String name, String format) {
        return ModelCard.builder(name, "1", "text", format).weights("w")
                .input(new ModelCard.Input(28, 28, 1, new float[] {0}, new float[] {1}, null)).build();
    }

    @Test
    void cpuAsksNoEngine() {
        AtomicInteger asked = new AtomicInteger();
        DevicePlan plan = DevicePlan.resolve("cpu", Map.of(), () -> asked.incrementAndGet(), () -> {
            asked.incrementAndGet();
            return ONE_GPU;
        });
        assertThat(plan.deviceFor(ONNX)).isEqualTo(Device.cpu());
        assertThat(plan.deviceFor(MXNET)).isEqualTo(Device.cpu());
        assertThat(asked).hasValue(0);
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void autoFallsBackPerEngineWithTheReason() {
        DevicePlan plan = DevicePlan.resolve("auto", Map.of(), () -> 0, () -> NO_LIBS);
        assertThat(plan.deviceFor(ONNX)).isEqualTo(Device.cpu());
        assertThat(plan.deviceFor(MXNET)).isEqualTo(Device.cpu());
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith("ONNX models run on the CPU").contains("libcudnn.so.9"))
                .anySatisfy(n -> assertThat(n).startsWith("MXNet models run on the CPU").contains("MXNET_LIBRARY_PATH"));
    }

    @Test
    void gpuPutsOnnxModelsOnTheGpuAndMxnetModelsStayOnTheCpu() {
        for (String setting : new String[] {"auto", "gpu", "GPU:0"}) {
            DevicePlan plan = DevicePlan.resolve(setting, Map.of(), () -> 0, () -> ONE_GPU);
            assertThat(plan.deviceFor(ONNX)).as(setting).isEqualTo(Device.gpu(0));
            assertThat(plan.deviceFor(MXNET)).as(setting).isEqualTo(Device.cpu());
            assertThat(plan.describe()).isEqualTo("MXNet models on cpu(), ONNX models on gpu(0)");
        }
        // A CUDA libmxnet: MXNet models follow.
        assertThat(DevicePlan.resolve("gpu:0", Map.of(), () -> 1, () -> ONE_GPU).deviceFor(MXNET)).isEqualTo(Device.gpu(0));
    }

    @Test
    void anExplicitGpuThatOnnxRuntimeCannotUseStopsTheStartSayingWhy() {
        assertThatThrownBy(() -> DevicePlan.resolve("gpu:0", Map.of(), () -> 0, () -> NO_LIBS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("image-worker.inference.device=gpu:0")
                .hasMessageContaining("needs libcudnn.so.9")
                .hasMessageContaining("image-worker.inference.device=cpu");
        assertThatThrownBy(() -> DevicePlan.resolve("gpu:1", Map.of(), () -> 0, () -> ONE_GPU))
                .hasMessageContaining("CUDA reports 1 GPU(s), no gpu:1");
    }

    @Test
    void perModelOverrides() {
        Supplier<OnnxCuda.Status> cuda = () -> ONE_GPU;
        DevicePlan plan = DevicePlan.resolve("gpu:0", Map.of("ppocr-det", "cpu", "mnist-cnn", "gpu:0"), () -> 0, cuda);
        assertThat(plan.deviceFor(ONNX)).isEqualTo(Device.cpu());
        assertThat(plan.deviceFor(card("other-onnx", ModelCard.FORMAT_ONNX))).isEqualTo(Device.gpu(0));
        // Explicit per model: MXNet without a GPU refuses the model rather than running it elsewhere.
        assertThatThrownBy(() -> plan.deviceFor(MXNET)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("image-worker.inference.per-model.mnist-cnn.device=gpu:0")
                .hasMessageContaining("MXNET_LIBRARY_PATH");
        // auto per model falls back.
        assertThat(DevicePlan.resolve("cpu", Map.of("mnist-cnn", "auto"), () -> 0, cuda).deviceFor(MXNET)).isEqualTo(Device.cpu());
        assertThat(DevicePlan.resolve("cpu", Map.of("ppocr-det", "auto"), () -> 0, cuda).deviceFor(ONNX)).isEqualTo(Device.gpu(0));
    }

    @Test
    void refusesUnknownSettings() {
        assertThatThrownBy(() -> DevicePlan.resolve("tpu", Map.of(), () -> 0, () -> ONE_GPU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto, cpu, gpu or gpu:N");
        assertThatThrownBy(() -> DevicePlan.resolve("cpu", Map.of("x", "cuda"), () -> 0, () -> ONE_GPU))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOnnxFormServesWhereOnlyOnnxRuntimeHasAGpuOrWhereAskedFor() {
        // auto: on a CPU-only machine MXNet serves; with ONNX Runtime's CUDA and no CUDA MXNet the ONNX form does
        assertThat(DevicePlan.resolve("auto", Map.of(), () -> 0, () -> NO_LIBS).onnxFormFor(MXNET)).isFalse();
        assertThat(DevicePlan.resolve("auto", Map.of(), () -> 0, () -> ONE_GPU).onnxFormFor(MXNET)).isTrue();
        ModelCard generator = MXNET.toBuilder().input(new ModelCard.Input(0, 0, 1, new float[] {0}, new float[] {1}, null)).build();
        assertThat(DevicePlan.resolve("auto", Map.of(), () -> 0, () -> ONE_GPU).onnxFormFor(generator))
                .as("the generator's form serves too: the loader checks an exported form's input only for images").isTrue();
        assertThat(DevicePlan.resolve("auto", Map.of(), () -> 1, () -> ONE_GPU).onnxFormFor(MXNET)).isFalse();
        // a per-model device of cpu keeps auto on MXNet; an explicit engine wins either way
        assertThat(DevicePlan.resolve("auto", Map.of("mnist-cnn", "cpu"), () -> 0, () -> ONE_GPU).onnxFormFor(MXNET)).isFalse();
        DevicePlan cpu = DevicePlan.resolve("cpu", Map.of(), () -> 0, () -> NO_LIBS);
        assertThat(cpu.withEngines(Map.of("mnist-cnn", "onnx")).onnxFormFor(MXNET)).isTrue();
        assertThat(DevicePlan.resolve("auto", Map.of(), () -> 0, () -> ONE_GPU).withEngines(Map.of("mnist-cnn", "mxnet"))
                .onnxFormFor(MXNET)).isFalse();
        assertThatThrownBy(() -> cpu.withEngines(Map.of("mnist-cnn", "tensorrt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per-model.mnist-cnn.engine must be auto, mxnet or onnx");
    }
}
