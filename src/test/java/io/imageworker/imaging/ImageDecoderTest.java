package io.imageworker.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    final ImageDecoder decoder = new ImageDecoder(4_000_000);

    static BufferedImage picture(int type) {
        BufferedImage img = new BufferedImage(40, 30, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 30);
        g.setColor(Color.BLACK);
        g.fillRect(10, 5, 20, 20);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).as("writer for " + format).isTrue();
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp", "tiff"})
    void decodesWhatTheJdkReads(String format) throws Exception {
        BufferedImage img = decoder.decode(encode(picture(BufferedImage.TYPE_INT_RGB), format));
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
    }

    @Test
    void decodesGreyPaletteSixteenBitAndAlpha() throws Exception {
        assertThat(decoder.decode(encode(picture(BufferedImage.TYPE_BYTE_GRAY), "png")).getWidth()).isEqualTo(40);
        assertThat(decoder.decode(encode(picture(BufferedImage.TYPE_USHORT_GRAY), "png")).getColorModel().getComponentSize(0))
                .isEqualTo(16);
        byte[] r = {0, (byte) 255};
        BufferedImage palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, r, r));
        assertThat(decoder.decode(encode(palette, "png")).getWidth()).isEqualTo(40);
        BufferedImage alpha = picture(BufferedImage.TYPE_INT_ARGB);
        assertThat(decoder.decode(encode(alpha, "png")).getColorModel().hasAlpha()).isTrue();
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() {
        // A valid PNG signature and IHDR claiming 100,000 x 100,000 pixels, then nothing: 33 bytes.
        byte[] bomb = pngHeader(100_000, 100_000);
        assertThatThrownBy(() -> decoder.decode(bomb)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("too-many-pixels")).hasMessageContaining("100000x100000");
    }

    @Test
    void truncatedImagesAreCorrupt() throws Exception {
        byte[] png = encode(picture(BufferedImage.TYPE_INT_RGB), "png");
        byte[] jpg = encode(picture(BufferedImage.TYPE_INT_RGB), "jpg");
        for (byte[] cut : new byte[][] {Arrays.copyOf(png, png.length / 2), Arrays.copyOf(jpg, jpg.length / 2)}) {
            assertThatThrownBy(() -> decoder.decode(cut)).isInstanceOfSatisfying(ImageException.class,
                    e -> assertThat(e.code()).isEqualTo("corrupt-image"));
        }
    }

    @Test
    void emptyAndNonImagesAreNamed() {
        assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("not-an-image")).hasMessageContaining("empty");
        assertThatThrownBy(() -> decoder.decode("%PDF-1.7 hello".getBytes())).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("not-an-image"));
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes();
        assertThatThrownBy(() -> decoder.decode(webp)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("unsupported-format")).hasMessageContaining("WebP");
    }

    static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return out.array();
    }
}
