package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Chromium;
import io.imageworker.testing.Digits;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.SystemDeps;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each task through the real broker and object store, with artifacts checked as images and the report rendered. */
@QuarkusTest
@WithTestResource(StackResource.class)
class TasksJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void propertiesFindsTheDominantColours() throws Exception {
        BufferedImage flag = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flag.createGraphics();
        g.setColor(new Color(0x0055A4));
        g.fillRect(0, 0, 30, 60);
        g.setColor(Color.WHITE);
        g.fillRect(30, 0, 30, 60);
        g.setColor(new Color(0xEF4135));
        g.fillRect(60, 0, 30, 60);
        g.dispose();
        String jobId = "props-" + UUID.randomUUID();
        String uri = upload(jobId + "/flag.png", Digits.encode(flag, "png"));
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"properties\",\"options\":{\"maxColors\":3},"
                + "\"inputs\":[{\"uri\":\"" + uri + "\"}]}");

        JsonNode result = succeeded(jobId);

        JsonNode colors = result.path("items").get(0).path("colors");
        assertThat(colors).hasSize(3);
        Set<String> hex = new HashSet<>();
        colors.forEach(c -> {
            hex.add(c.path("hex").asText());
            assertThat(c.path("fraction").asDouble()).isCloseTo(1 / 3.0, org.assertj.core.api.Assertions.within(0.01));
        });
        assertThat(hex).containsExactlyInAnyOrder("#0055A4", "#FFFFFF", "#EF4135");
        assertThat(result.has("model")).isFalse();
    }

    @Test
    void reportRendersOfflineInABrowser() throws Exception {
        String jobId = "report-" + UUID.randomUUID();
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            inputs.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(upload(jobId + "/" + i + ".png", Digits.png(i)))
                    .append("\"}");
        }
        inputs.append(",{\"uri\":\"s3://images/").append(jobId).append("/missing.png\"}");
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[" + inputs + "]}");
        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).isEqualTo("partial");

        Path report = localFile(result.path("artifacts").path("report").asText());
        String html = Files.readString(report);
        assertThat(html).contains(jobId).contains("not-found").contains("data:image/png;base64,")
                .contains("<th>label</th><th>probability</th>");
        assertRelativeImagesExist(report, html);

        BufferedImage shot = Chromium.screenshot(SystemDeps.chromium(), report, 1000, 700);
        assertThat(shot.getWidth()).isEqualTo(1000);
        // the orange 'partial' badge and the black backgrounds of the digit previews are on screen
        assertThat(count(shot, 0xEF6C00)).as("pixels of the status badge").isGreaterThan(50);
        assertThat(count(shot, 0x000000)).as("pixels of the previews' black").isGreaterThan(6 * 500);
    }

    static JsonNode succeeded(String jobId) {
        JsonNode result = events.result(jobId, WAIT);
        assertThat(SCHEMAS.violations(EventSchemas.Contract.RESULT, result)).as(result.toString()).isEmpty();
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        return result;
    }

    /** Every relative src in the page names a file that exists beside it. */
    static void assertRelativeImagesExist(Path page, String html) {
        Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            String src = m.group(1);
            if (!src.startsWith("data:")) {
                assertThat(page.getParent().resolve(src)).as("report image " + src).exists();
            }
        }
    }

    /** The file behind an object of the local S3 server (its filesystem backend keeps one file per object). */
    static Path localFile(String uri) {
        S3Location loc = S3Location.parse(uri);
        return LocalStack.shared().dir().resolve("s3/data").resolve(loc.bucket()).resolve(loc.key());
    }

    static long count(BufferedImage img, int rgb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
