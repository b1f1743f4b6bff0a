package io.imageworker.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CUDA probe: its messages over given native answers, and the real answer of this build's ONNX
 * Runtime on this machine (the default build: the CPU jar; under {@code -Pgpu}: the GPU jar, whose
 * libraries or GPU are missing on a machine without them).
 */
class OnnxCudaTest {

    record Fake(boolean provider, Set<String> missing, int gpus) implements OnnxCuda.Natives {
        @Override
        public boolean hasCudaProvider() {
            return provider;
        }

        @Override
        public String load(String soname) {
            return missing.contains(soname) ? soname + ": cannot open shared object file" : null;
        }

        @Override
        public int deviceCount(String[] error) {
            error[0] = "error 35, CUDA driver version is insufficient for CUDA runtime version";
            return gpus;
        }
    }

    @Test
    void namesWhatIsMissingAndHowToGetIt() {
        assertThat(OnnxCuda.probe(new Fake(false, Set.of(), 1)).problem())
                .contains("no CUDA execution provider").contains("-gpu").contains("-Pgpu");
        OnnxCuda.Status libs = OnnxCuda.probe(new Fake(true, Set.of("libcudnn.so.9", "libcublasLt.so.12"), 1));
        assertThat(libs.usable()).isFalse();
        assertThat(libs.problem()).contains("libcublasLt.so.12, libcudnn.so.9").contains("LD_LIBRARY_PATH")
                .contains("/opt/cuda/lib").doesNotContain("libcudart.so.12");
        assertThat(OnnxCuda.probe(new Fake(true, Set.of(), -35)).problem())
                .contains("no usable GPU").contains("error 35").contains("nvidia.com/gpu");
        OnnxCuda.Status ok = OnnxCuda.probe(new Fake(true, Set.of(), 2));
        assertThat(ok.usable()).isTrue();
        assertThat(ok.gpus()).isEqualTo(2);
    }

    @Test
    void thisBuildOnThisMachine() throws Exception {
        OnnxCuda.Status status = OnnxCuda.status();
        boolean gpuJar = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        System.out.println("ONNX Runtime providers " + OrtEnvironment.getAvailableProviders() + "; CUDA probe: "
                + (status.usable() ? status.gpus() + " GPU(s)" : status.problem()));
        if (!gpuJar) {
            assertThat(status.usable()).isFalse();
            assertThat(status.problem()).contains("no CUDA execution provider");
        } else if (!status.usable()) {
            // The GPU jar on a machine without the libraries or without a GPU: the probe says which.
            assertThat(status.problem()).containsAnyOf("cannot find: libcudart.so.12", "no usable GPU", "cannot find: ");
        }
    }
}
