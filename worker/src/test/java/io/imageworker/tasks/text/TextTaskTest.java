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
        TextTask.validateOptions(options("{\"layout\": \"words\"}"), "j");
        TextTask.validateOptions(options("{\"layout\": \"lines\"}"), "j");
        for (String bad : List.of("{\"minConfidence\": -0.1}", "{\"minConfidence\": 1.5}", "{\"minConfidence\": \"high\"}",
                "{\"maxLines\": 0}", "{\"maxLines\": 2.5}", "{\"maxLines\": \"10\"}", "{\"maxLines\": 1e12}",
                "{\"pages\": [0]}", "{\"pages\": 2}", "{\"pages\": [\"1\"]}", "{\"layout\": \"symbols\"}",
                "{\"layout\": 1}")) {
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

    /** Two lines of one block, "Hello world" (100 steps over 10..210) and "again" (50 steps over 10..110), with their words. */
    static TextReader.Result withWords() {
        Quad first = new Quad(new double[] {10, 210, 210, 10}, new double[] {10, 10, 30, 30});
        Quad second = new Quad(new double[] {10, 110, 110, 10}, new double[] {36, 36, 56, 56});
        List<CtcDecoder.Symbol> hello = new java.util.ArrayList<>();
        String t = "Hello world";
        for (int i = 0; i < t.length(); i++) {
            hello.add(new CtcDecoder.Symbol(t.substring(i, i + 1), 5 + 8 * i, 6 + 8 * i, 0.9));
        }
        List<CtcDecoder.Symbol> again = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            again.add(new CtcDecoder.Symbol("again".substring(i, i + 1), 5 + 8 * i, 5 + 8 * i, 0.8));
        }
        TextLine a = new TextLine(first, t, 0.9, LineWords.words(new CtcDecoder.Spans(hello, 100),
                new LineWords.Frame(first, first)));
        TextLine b = new TextLine(second, "again", 0.8, LineWords.words(new CtcDecoder.Spans(again, 50),
                new LineWords.Frame(second, second)));
        List<TextBlock> blocks = ReadingOrder.blocks(List.of(a, b));
        return new TextReader.Result(blocks, ReadingOrder.fullText(blocks), new TextReader.Timings(1, 1, 1, 1, 2));
    }

    @Test
    void withLayoutWordsEachLineCarriesItsWordsAndTheirSymbols() {
        JsonNode plain = JSON.valueToTree(TextTask.json(withWords(), 1, false));
        assertThat(plain.path("blocks").get(0).path("lines").get(0).has("words")).isFalse();
        JsonNode text = JSON.valueToTree(TextTask.json(withWords(), 2, true));
        JsonNode line = text.path("blocks").get(0).path("lines").get(0);
        assertThat(line.path("text").asText()).isEqualTo("Hello world");
        JsonNode words = line.path("words");
        assertThat(words).hasSize(2);
        assertThat(words.get(0).path("text").asText()).isEqualTo("Hello");
        assertThat(words.get(1).path("text").asText()).isEqualTo("world");
        assertThat(words.get(1).path("symbols")).hasSize(5);
        assertThat(words.get(1).path("symbols").get(0).path("text").asText()).isEqualTo("w");
        // in input pixels (subsampled by 2): "world" starts after "Hello" ends, both within the line's height
        assertThat(words.get(1).path("polygon").get(0).get(0).asInt()).isGreaterThan(words.get(0).path("polygon").get(1).get(0).asInt());
        assertThat(words.get(0).path("polygon").get(0).get(1).asInt()).isEqualTo(20);
        assertThat(words.get(0).path("polygon").get(2).get(1).asInt()).isEqualTo(60);
    }

    @Test
    void cloudVisionGetsWordsInTextAnnotationsAndTheFullHierarchyWithBreaks() {
        JsonNode item = JSON.valueToTree(Map.of("width", 400, "height", 100, "text", TextTask.json(withWords(), 1, true)));
        assertThat(task.visionFeatures()).containsExactly("TEXT_DETECTION", "DOCUMENT_TEXT_DETECTION");
        assertThat(task.visionOptions(0, null).path("layout").asText()).isEqualTo("words");
        JsonNode out = task.visionAnnotation(item);
        JsonNode ta = out.path("textAnnotations");
        assertThat(ta).hasSize(4);
        assertThat(ta.get(0).path("description").asText()).isEqualTo("Hello world\nagain");
        assertThat(ta.get(1).path("description").asText()).isEqualTo("Hello");
        assertThat(ta.get(3).path("description").asText()).isEqualTo("again");
        assertThat(ta.get(1).path("boundingPoly").path("vertices")).hasSize(4);
        JsonNode page = out.path("fullTextAnnotation").path("pages").get(0);
        assertThat(page.path("width").asInt()).isEqualTo(400);
        assertThat(page.path("confidence").asDouble()).isBetween(0.8, 0.9);
        JsonNode block = page.path("blocks").get(0);
        assertThat(block.path("blockType").asText()).isEqualTo("TEXT");
        JsonNode words = block.path("paragraphs").get(0).path("words");
        assertThat(words).hasSize(3);
        assertThat(lastBreak(words.get(0))).isEqualTo("SPACE");
        assertThat(lastBreak(words.get(1))).isEqualTo("EOL_SURE_SPACE");
        assertThat(lastBreak(words.get(2))).isEqualTo("LINE_BREAK");
        JsonNode h = words.get(0).path("symbols").get(0);
        assertThat(h.path("text").asText()).isEqualTo("H");
        assertThat(h.path("confidence").asDouble()).isEqualTo(0.9);
        assertThat(h.has("property")).isFalse();
        assertThat(h.path("boundingBox").path("vertices").get(0).path("x").asInt()).isBetween(10, 20);

        // a page of a document: the same boxes as fractions of the page
        JsonNode pageItem = JSON.valueToTree(Map.of("page", 2, "width", 400, "height", 100, "text",
                TextTask.json(withWords(), 1, true)));
        JsonNode doc = task.visionAnnotation(pageItem);
        JsonNode v = doc.path("fullTextAnnotation").path("pages").get(0).path("blocks").get(0).path("paragraphs").get(0)
                .path("words").get(0).path("boundingBox");
        assertThat(v.has("vertices")).isFalse();
        assertThat(v.path("normalizedVertices").get(0).path("y").asDouble()).isEqualTo(0.1);
        assertThat(v.path("normalizedVertices").get(2).path("y").asDouble()).isEqualTo(0.3);
        assertThat(v.path("normalizedVertices").get(0).path("x").asDouble()).isBetween(0.025, 0.05);
    }

    static String lastBreak(JsonNode word) {
        JsonNode symbols = word.path("symbols");
        return symbols.get(symbols.size() - 1).path("property").path("detectedBreak").path("type").asText();
    }
}
