package io.imageworker.imaging;

import io.imageworker.testing.Images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    final ImageDecoder decoder = new ImageDecoder(4_000_000);



    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp", "tiff"})
    void decodesWhatTheJdkReads(String format) throws Exception {
        BufferedImage img = decoder.decode(Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), format));
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
    }

    @Test
    void decodesGreyPaletteSixteenBitAndAlpha() throws Exception {
        assertThat(decoder.decode(Images.encode(Images.picture(BufferedImage.TYPE_BYTE_GRAY), "png")).getWidth()).isEqualTo(40);
        assertThat(decoder.decode(Images.encode(Images.picture(BufferedImage.TYPE_USHORT_GRAY), "png")).getColorModel().getComponentSize(0))
                .isEqualTo(16);
        byte[] r = {0, (byte) 255};
        BufferedImage palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, r, r));
        assertThat(decoder.decode(Images.encode(palette, "png")).getWidth()).isEqualTo(40);
        BufferedImage alpha = Images.picture(BufferedImage.TYPE_INT_ARGB);
        assertThat(decoder.decode(Images.encode(alpha, "png")).getColorModel().hasAlpha()).isTrue();
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() {
        // A valid PNG signature and IHDR claiming 100,000 x 100,000 pixels, then nothing: 33 bytes.
        byte[] bomb = Images.pngHeader(100_000, 100_000);
        assertThatThrownBy(() -> decoder.decode(bomb)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("too-many-pixels")).hasMessageContaining("100000x100000");
    }

    @Test
    void truncatedImagesAreCorrupt() throws Exception {
        byte[] png = Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), "png");
        byte[] jpg = Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), "jpg");
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

}
