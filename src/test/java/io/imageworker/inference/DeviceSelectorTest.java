package io.imageworker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {

    @Test
    void autoTakesTheFirstGpuWhenThereIsOne() {
        assertThat(DeviceSelector.select("auto", 0)).isEqualTo(Device.cpu());
        assertThat(DeviceSelector.select("auto", 2)).isEqualTo(Device.gpu(0));
        assertThat(DeviceSelector.select(null, 0)).isEqualTo(Device.cpu());
    }

    @Test
    void explicitChoices() {
        assertThat(DeviceSelector.select("cpu", 4)).isEqualTo(Device.cpu());
        assertThat(DeviceSelector.select("GPU:1", 2)).isEqualTo(Device.gpu(1));
        assertThat(DeviceSelector.select("gpu", 1)).isEqualTo(Device.gpu(0));
    }

    @Test
    void aMissingGpuOrAGarbledSettingIsAClearError() {
        assertThatThrownBy(() -> DeviceSelector.select("gpu:0", 0)).hasMessageContaining("MXNET_LIBRARY_PATH");
        assertThatThrownBy(() -> DeviceSelector.select("gpu:3", 2)).hasMessageContaining("sees 2 GPU");
        assertThatThrownBy(() -> DeviceSelector.select("tpu", 0)).hasMessageContaining("auto, cpu or gpu:N");
    }

    @Test
    void theCpuEngineOnThisMachineIsChosenByAuto() {
        assertThat(DeviceSelector.select("auto").isGpu()).isEqualTo(ai.djl.engine.Engine.getInstance().getGpuCount() > 0);
    }
}
