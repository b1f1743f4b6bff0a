package io.imageworker.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.testing.Images;
import java.awt.image.BufferedImage;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding and encoding stay in memory. ImageIO's default streams spool to temp files that a JVM
 * shutdown hook closes, which made a sound image fail as corrupt-image while a worker drained its
 * in-flight items after SIGTERM (seen in FaultToleranceIT).
 */
class NoDiskCacheTest {

    @AfterEach
    void restore() {
        ImageIO.setCacheDirectory(null);
        ImageIO.setUseCache(true);
    }

    @Test
    void decodeAndEncodeCreateNoCacheFiles(@TempDir Path cache) throws Exception {
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(cache.toFile());
        byte[] png = Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), "png");
        byte[] jpg = Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), "jpg");
        ImageDecoder decoder = new ImageDecoder(4_000_000);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            cache.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            for (int i = 0; i < 5; i++) {
                assertThat(decoder.decode(png).getWidth()).isEqualTo(40);
                assertThat(decoder.decode(jpg).getWidth()).isEqualTo(40);
                assertThat(Png.encode(Png.grey(new byte[64 * 64], 64, 64))).isNotEmpty();
            }
            List<String> created = new ArrayList<>();
            WatchKey key = watch.poll(500, TimeUnit.MILLISECONDS);
            if (key != null) {
                for (WatchEvent<?> e : key.pollEvents()) {
                    created.add(String.valueOf(e.context()));
                }
            }
            assertThat(created).as("files ImageIO created in its cache directory").isEmpty();
        }
    }
}
