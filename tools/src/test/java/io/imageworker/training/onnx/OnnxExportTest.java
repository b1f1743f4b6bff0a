package io.imageworker.training.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.imageworker.models.ModelCard;
import io.imageworker.models.arch.Architectures;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protobuf wire writer against bytes the protobuf encoding guide gives, and the exporter's refusals. */
class OnnxExportTest {

    @Test
    void writesTheWireFormatOfTheProtobufGuide() {
        // "varint 150 in field 1" is 08 96 01 in the encoding guide; a string "testing" in field 2 is 12 07 74 65 73 74 69 6e 67.
        assertThat(HexFormat.of().formatHex(new ProtoWriter().varint(1, 150).string(2, "testing").toByteArray()))
                .isEqualTo("089601120774657374696e67");
        // Negative int64 values take ten bytes (two's complement as an unsigned varint).
        assertThat(HexFormat.of().formatHex(new ProtoWriter().varint(1, -1).toByteArray())).isEqualTo("08ffffffffffffffffff01");
        // A float is wire type 5, little-endian: 1.0f = 0x3f800000.
        assertThat(HexFormat.of().formatHex(new ProtoWriter().float32(2, 1f).toByteArray())).isEqualTo("150000803f");
        // A nested message is length-delimited: field 3 holding {field 1: 150} is 1a 03 08 96 01.
        assertThat(HexFormat.of().formatHex(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray()))
                .isEqualTo("1a03089601");
    }

    @Test
    void refusesAnOpaqueBlockByNameAndPath() {
        // An activation added as a plain function is an anonymous LambdaBlock nothing can read.
        try (Model model = Model.newInstance("mlp")) {
            model.setBlock(new ai.djl.nn.SequentialBlock().add(ai.djl.nn.Blocks.batchFlattenBlock())
                    .add(ai.djl.nn.core.Linear.builder().setUnits(10).build()).add(Activation::relu)
                    .add(ai.djl.nn.core.Linear.builder().setUnits(10).build()));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ModelCard card = card("mlp");
            assertThatThrownBy(() -> OnnxExport.export(model.getBlock(), card, "0".repeat(64)))
                    .isInstanceOf(UnsupportedBlockException.class)
                    .hasMessageContaining("LambdaBlock at /03LambdaBlock")
                    .hasMessageContaining("'anonymous'");
        }
    }

    @Test
    void exportsAnInitialisedNetworkDeterministically() {
        try (Model model = Model.newInstance("cnn-bn")) {
            model.setBlock(Architectures.build("cnn-bn", Map.of()));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ModelCard card = card("cnn-bn");
            byte[] first = OnnxExport.export(model.getBlock(), card, "ab".repeat(32));
            assertThat(OnnxExport.export(model.getBlock(), card, "ab".repeat(32))).isEqualTo(first);
            assertThat(new String(first, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("abab", "image-worker", "BatchNormalization");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"softmax", "mlp", "cnn"})
    void everyRungOfTheClassificationLadderHasAnOnnxForm(String architecture) {
        try (Model model = Model.newInstance(architecture)) {
            model.setBlock(Architectures.build(architecture, Map.of("channels", java.util.List.of(4, 8, 12), "activation", "sigmoid")));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(OnnxExport.export(model.getBlock(), card(architecture), "0".repeat(64))).isNotEmpty();
        }
    }

    private static ModelCard card(String architecture) {
        return ModelCard.builder("t", "1", "classify", ModelCard.FORMAT_DJL_BLOCK).architecture(architecture).weights("t").build();
    }
}
