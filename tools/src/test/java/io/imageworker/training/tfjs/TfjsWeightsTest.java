package io.imageworker.training.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A weights manifest's dtypes and quantisations on a hand-written shard. */
class TfjsWeightsTest {

    @TempDir
    Path dir;

    @Test
    void int32ConstantsAreReadAsTheIntegersTfjsDequantisesThemTo() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 3).put((byte) 4).putFloat(1.25f).putInt(-7);
        Files.write(dir.resolve("w.bin"), b.array());
        String manifest = "[{\"paths\":[\"w.bin\"],\"weights\":["
                + "{\"name\":\"c\",\"shape\":[2],\"dtype\":\"int32\",\"quantization\":{\"dtype\":\"uint8\",\"min\":1.0,\"scale\":0.5}},"
                + "{\"name\":\"f\",\"shape\":[1],\"dtype\":\"float32\"},"
                + "{\"name\":\"i\",\"shape\":[],\"dtype\":\"int32\"}]}]";
        Map<String, TfjsWeights.Weight> w = TfjsWeights.read(dir, new ObjectMapper().readTree(manifest));
        assertThat(w.get("c").values()).containsExactly(3f, 3f); // Math.round(1 + 0.5 * 3) = 3 (2.5 rounds up), 1 + 0.5 * 4
        assertThat(w.get("f").values()).containsExactly(1.25f);
        assertThat(w.get("i").values()).containsExactly(-7f);
        assertThat(w.get("i").shape()).isEmpty();

        String bool = "[{\"paths\":[\"w.bin\"],\"weights\":[{\"name\":\"b\",\"shape\":[1],\"dtype\":\"bool\"}]}]";
        assertThatThrownBy(() -> TfjsWeights.read(dir, new ObjectMapper().readTree(bool))).hasMessageContaining("bool");
    }
}
