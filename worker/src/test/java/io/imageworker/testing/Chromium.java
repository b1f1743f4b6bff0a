package io.imageworker.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Headless Chromium (Debian's package), for screenshots of pages the worker writes. The browser is
 * found by {@link SystemDeps#chromium()}, which skips the test when there is none.
 */
public final class Chromium {

    private Chromium() {}

    /** Renders {@code page} (a local file) and returns the screenshot. */
    public static BufferedImage screenshot(Path browser, Path page, int width, int height) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("chromium");
        Path shot = dir.resolve("shot.png");
        Process p = new ProcessBuilder(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--allow-file-access-from-files",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=" + width + "," + height,
                "--screenshot=" + shot, page.toUri().toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish within 90 s");
        }
        if (!Files.exists(shot)) {
            throw new IOException("chromium wrote no screenshot: " + Files.readString(dir.resolve("chromium.log")));
        }
        return ImageIO.read(shot.toFile());
    }
}
