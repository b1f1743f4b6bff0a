package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler's parts that need no served model: validation, settings, the item JSON, report and overlay. */
class TextTaskTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final TextTask task = new TextTask();

    static ModelCard card(String name) throws Exception {
        return ModelLoader.readCard(TextModels.MODELS.resolve(name).resolve("1"));
    }

    static JsonNode options(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void optionsOutOfRangeOrOfTheWrongTypeAreRejectedAsInvalidJobs() throws Exception {
        TextTask.validateOptions(options("{}"), "j");
        TextTask.validateOptions(options("{\"minConfidence\": 0, \"maxLines\": 1}"), "j");
        TextTask.validateOptions(options("{\"minConfidence\": 1.0, \"maxLines\": 500}"), "j");
        TextTask.validateOptions(options("{\"pages\": [1, -1, 3]}"), "j");
        for (String bad : List.of("{\"minConfidence\": -0.1}", "{\"minConfidence\": 1.5}", "{\"minConfidence\": \"high\"}",
                "{\"maxLines\": 0}", "{\"maxLines\": 2.5}", "{\"maxLines\": \"10\"}", "{\"maxLines\": 1e12}",
                "{\"pages\": [0]}", "{\"pages\": 2}", "{\"pages\": [\"1\"]}")) {
            assertThatThrownBy(() -> TextTask.validateOptions(options(bad), "j")).as(bad)
                    .isInstanceOfSatisfying(Rejection.Exception.class,
                            e -> assertThat(e.getMessage()).contains("options."));
        }
    }

    @Test
    void onlyADetectorThatNamesItsRecognizerServesTheTask() throws Exception {
        TextTask.validateModel(card("ppocr-v4-det"), "j");
        assertThatThrownBy(() -> TextTask.validateModel(card("ppocr-v4-rec"), "j"))
                .isInstanceOf(Rejection.Exception.class).hasMessageContaining("ctc-text-recognizer");
        ModelCard det = card("ppocr-v4-det");
        ModelCard alone = ModelCard.builder(det.name(), det.version(), det.task(), det.format()).architecture(det.architecture())
                .weights(det.weights()).input(det.input()).options(det.options()).output(det.output()).companions(Map.of()).build();
        assertThatThrownBy(() -> TextTask.validateModel(alone, "j")).isInstanceOf(Rejection.Exception.class)
                .hasMessageContaining("recognizer");
    }

    @Test
    void theCardsCarryPaddleOcrsDefaultsAndJobsOverrideTwo() throws Exception {
        TextReader.Settings s = TextTask.settings(card("ppocr-v4-det"), card("ppocr-v4-rec"), card("ppocr-v2-cls"),
                options("{\"minConfidence\": 0.8, \"maxLines\": 3}"));
        assertThat(s.db()).isEqualTo(DbPostProcessor.Params.PADDLE);
        assertThat(s.maxSide()).isEqualTo(960);
        assertThat(s.sizeMultiple()).isEqualTo(32);
        assertThat(s.rotateThreshold()).isEqualTo(0.9);
        assertThat(s.widthMultiple()).isEqualTo(8);
        assertThat(s.cropMargin()).isEqualTo(Crops.DEFAULT_MARGIN);
        assertThat(s.minConfidence()).isEqualTo(0.8);
        assertThat(s.maxLines()).isEqualTo(3);
        TextReader.Settings d = TextTask.settings(card("ppocr-v4-det"), card("ppocr-v4-rec"), null, options("{}"));
        assertThat(d.minConfidence()).isEqualTo(0.5);
        assertThat(d.maxLines()).isEqualTo(TextReader.Settings.DEFAULT_MAX_LINES);
    }

    @Test
    void translatorsFollowTheCardsArchitectureAndWarmUpInputsHaveUsableShapes() throws Exception {
        assertThat(task.translator(card("ppocr-v4-det"))).isInstanceOf(TextTranslators.Detection.class);
        assertThat(task.translator(card("ppocr-v4-rec"))).isInstanceOf(TextTranslators.Recognition.class);
        assertThat(task.translator(card("ppocr-v2-cls"))).isInstanceOf(TextTranslators.Angle.class);
        ModelCard det = card("ppocr-v4-det");
        ModelCard other = ModelCard.builder("x", "1", "text", "onnx").architecture("something-else").weights("x")
                .input(det.input()).build();
        assertThatThrownBy(() -> task.translator(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("something-else");
        ImageTensor d = (ImageTensor) task.sampleInput(det);
        ImageTensor r = (ImageTensor) task.sampleInput(card("ppocr-v4-rec"));
        ImageTensor c = (ImageTensor) task.sampleInput(card("ppocr-v2-cls"));
        assertThat(new int[] {d.channels(), d.height(), d.width()}).containsExactly(3, 736, 960);
        assertThat(new int[] {r.channels(), r.height(), r.width()}).containsExactly(3, 48, 320);
        assertThat(new int[] {c.channels(), c.height(), c.width()}).containsExactly(3, 48, 192);
    }

    static TextReader.Result result() {
        TextLine a = ReadingOrderTest.line("Hello <b>", 10, 10, 110, 30, 0, 0, 0);
        TextLine b = ReadingOrderTest.line("world", 10, 36, 90, 56, 0, 0, 0);
        List<TextBlock> blocks = ReadingOrder.blocks(List.of(b, a));
        return new TextReader.Result(blocks, ReadingOrder.fullText(blocks), new TextReader.Timings(1, 1, 1, 1, 2));
    }

    @Test
    void theItemFieldHoldsFullTextAndBlocksOfLinesWithPolygons() throws Exception {
        JsonNode text = JSON.valueToTree(TextTask.json(result(), 1, false));
        assertThat(text.path("fullText").asText()).isEqualTo("Hello <b>\nworld");
        JsonNode block = text.path("blocks").get(0);
        assertThat(block.path("text").asText()).isEqualTo("Hello <b>\nworld");
        assertThat(block.path("confidence").asDouble()).isEqualTo(0.9);
        assertThat(block.path("polygon").toString()).isEqualTo("[[10,10],[110,10],[110,56],[10,56]]");
        assertThat(block.path("lines")).hasSize(2);
        assertThat(block.path("lines").get(0).path("text").asText()).isEqualTo("Hello <b>");
        assertThat(block.path("lines").get(0).path("polygon").toString()).isEqualTo("[[10,10],[110,10],[110,30],[10,30]]");
        assertThat(block.path("lines").get(1).path("text").asText()).isEqualTo("world");
    }

    @Test
    void polygonsOfAnImageDecodedSubsampledAreGivenInInputPixels() {
        JsonNode text = JSON.valueToTree(TextTask.json(result(), 3, false));
        assertThat(text.path("blocks").get(0).path("lines").get(0).path("polygon").toString())
                .isEqualTo("[[30,30],[330,30],[330,90],[30,90]]");
    }

    @Test
    void largeInputsAreDecodedAtTwiceTheDetectorsLongestSide() {
        assertThat(task.inputSide(new io.imageworker.tasks.JobPlan(null, null, task, null, null, null))).isEqualTo(1920);
    }

    @Test
    void theReportShowsTheTextEscaped() throws Exception {
        JsonNode item = JSON.valueToTree(Map.of("text", TextTask.json(result(), 1, false)));
        String html = task.reportSection(null).html(item);
        assertThat(html).contains("Hello &lt;b&gt;\nworld").doesNotContain("<b>").contains("0.900");
        assertThat(task.reportSection(null).fields()).containsExactly("text");
        JsonNode empty = JSON.valueToTree(Map.of("text", Map.of("fullText", "", "blocks", List.of())));
        assertThat(task.reportSection(null).html(empty)).contains("no text found");
    }

    @Test
    void theOverlayDrawsLineBoxesOnACopyOfTheInput() {
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 100);
        g.dispose();
        TextLine l = ReadingOrderTest.line("x", 20, 20, 180, 60, 0, 0, 0);
        BufferedImage out = TextOverlay.draw(img, ReadingOrder.blocks(List.of(l)));
        assertThat(out.getWidth()).isEqualTo(200);
        assertThat(out.getRGB(100, 20) & 0xffffff).isEqualTo(TextOverlay.LINE.getRGB() & 0xffffff);
        assertThat(out.getRGB(100, 40) & 0xffffff).isEqualTo(0xffffff);
        assertThat(img.getRGB(100, 20) & 0xffffff).as("the input is untouched").isEqualTo(0xffffff);
    }
}
