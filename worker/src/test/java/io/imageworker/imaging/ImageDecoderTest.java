package io.imageworker.imaging;

import io.imageworker.testing.Images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    final ImageDecoder decoder = new ImageDecoder(4_000_000);



    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp", "tiff"})
    void decodesEveryFormatWrittenByTheJdk(String format) throws Exception {
        BufferedImage img = decoder.decode(Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), format));
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
    }

    @Test
    void subsamplingAGreyImageKeepsItsGreys() {
        // the JDK's getRGB reads its grey space as linear light (128 reads 188); a subsampled grey must stay 128
        BufferedImage grey = new BufferedImage(9, 9, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                grey.getRaster().setSample(x, y, 0, x * 16);
            }
        }
        BufferedImage out = ImageDecoder.subsample(grey, 3);
        assertThat(out.getWidth()).isEqualTo(3);
        assertThat(out.getRaster().getSample(1, 1, 0)).isEqualTo(48);
        assertThat(out.getRaster().getSample(2, 0, 0)).isEqualTo(96);
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
    }

    @Test
    void aWebPHeaderWithNoPictureIsCorruptAndHeifIsUnsupported() {
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> decoder.decode(webp)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("corrupt-image"));
        byte[] heif = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> decoder.decode(heif)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("unsupported-format")).hasMessageContaining("HEIF");
        byte[] avif = "\0\0\0\u001cftypavif\0\0\0\0avifmif1".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> decoder.decode(avif)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("unsupported-format"));
        // JPEG XL (bare codestream and ISO box) and JPEG 2000 (JP2 box and bare codestream) by their magic bytes
        byte[][] others = {
            {(byte) 0xFF, 0x0A, 0x00, 0x00},
            {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A},
            {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A},
            {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 0, 0}};
        String[] names = {"JPEG XL", "JPEG XL", "JPEG 2000", "JPEG 2000"};
        for (int i = 0; i < others.length; i++) {
            byte[] b = others[i];
            String name = names[i];
            assertThatThrownBy(() -> decoder.decode(b)).as(name).isInstanceOfSatisfying(ImageException.class,
                    e -> assertThat(e.code()).isEqualTo("unsupported-format")).hasMessageContaining(name);
        }
    }

    @Test
    void aRealWebPDecodesThroughTwelveMonkeys() throws Exception {
        byte[] webp = Images.resource("/cases/imaging/white-ink-4-lossless.webp");
        ImageDecoder.Decoded d = decoder.decodeDetailed(webp);
        assertThat(d.format()).isEqualTo("webp");
        assertThat(d.image().getWidth()).isEqualTo(28);
        assertThat(d.image().getColorModel().hasAlpha()).isTrue();
        try (ImageInputStream in = new ByteArrayImageInputStream(webp)) {
            assertThat(decoder.readerFor(in).getClass().getName()).startsWith("com.twelvemonkeys.imageio.plugins.webp.");
        }
    }

    @Test
    void jpegAndTiffAreReadByTwelveMonkeysAndPngByTheJdk() throws Exception {
        String[][] cases = {{"jpg", "com.twelvemonkeys.imageio.plugins.jpeg."}, {"tiff", "com.twelvemonkeys.imageio.plugins.tiff."},
            {"png", "com.sun.imageio.plugins.png."}};
        for (String[] c : cases) {
            try (ImageInputStream in = new ByteArrayImageInputStream(Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), c[0]))) {
                assertThat(decoder.readerFor(in).getClass().getName()).as(c[0]).startsWith(c[1]);
            }
        }
    }

    // ---- EXIF orientation ----

    /** 48x32, six 16x16 blocks of distinct greys: asymmetric under every flip and turn, and flat enough for JPEG. */
    static BufferedImage blocks() {
        BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        int[] greys = {0, 50, 100, 150, 200, 250};
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                int v = greys[(y / 16) * 3 + x / 16];
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return img;
    }

    /**
     * Where the stored image's row 0 and column 0 are shown, for each orientation, as the EXIF specification
     * words it (index = orientation): e.g. 6 is "the 0th row is the visual right-hand side, the 0th column is the
     * visual top".
     */
    static final String[][] SIDES = {null, {"top", "left"}, {"top", "right"}, {"bottom", "right"}, {"bottom", "left"},
        {"left", "top"}, {"right", "top"}, {"right", "bottom"}, {"left", "bottom"}};

    /** {@code stored} as a viewer shows it for {@code orientation}, derived from {@link #SIDES} alone. */
    static BufferedImage expectedView(BufferedImage stored, int orientation) {
        int w = stored.getWidth();
        int h = stored.getHeight();
        String row0 = SIDES[orientation][0];
        String col0 = SIDES[orientation][1];
        boolean transposed = row0.equals("left") || row0.equals("right");
        BufferedImage out = new BufferedImage(transposed ? h : w, transposed ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int vx;
                int vy;
                if (!transposed) {
                    vx = col0.equals("left") ? x : w - 1 - x;
                    vy = row0.equals("top") ? y : h - 1 - y;
                } else {
                    vx = row0.equals("left") ? y : h - 1 - y;
                    vy = col0.equals("top") ? x : w - 1 - x;
                }
                out.setRGB(vx, vy, stored.getRGB(x, y));
            }
        }
        return out;
    }

    static void assertSamePixels(BufferedImage actual, BufferedImage expected, int tolerance, String what) {
        assertThat(actual.getWidth()).as(what + " width").isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).as(what + " height").isEqualTo(expected.getHeight());
        BufferedImage a = Preprocessor.flatten(actual);
        int worst = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                worst = Math.max(worst, diff(a.getRGB(x, y), expected.getRGB(x, y)));
            }
        }
        assertThat(worst).as(what + ": largest channel difference from the expected view").isLessThanOrEqualTo(tolerance);
    }

    static int diff(int p, int q) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            d = Math.max(d, Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff)));
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyJpegExifOrientationIsShownAsAViewerShowsIt(int orientation) throws Exception {
        BufferedImage stored = blocks();
        byte[] jpeg = TestImages.jpegWithOrientation(TestImages.encodeJpeg(stored), orientation);
        ImageDecoder.Decoded d = decoder.decodeDetailed(jpeg);
        assertThat(d.orientation()).isEqualTo(orientation);
        assertSamePixels(d.image(), expectedView(stored, orientation), 6, "JPEG orientation " + orientation);
        assertThat(d.asStored()).isEqualTo(orientation == 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 6, 8})
    void pngExifAndTiffOrientationAreHonouredToo(int orientation) throws Exception {
        BufferedImage stored = blocks();
        byte[] png = TestImages.pngWithOrientation(Images.encode(stored, "png"), orientation);
        assertSamePixels(decoder.decode(png), expectedView(stored, orientation), 0, "PNG eXIf orientation " + orientation);
        byte[] tiff = TestImages.tiffWithOrientation(stored, orientation);
        assertSamePixels(decoder.decode(tiff), expectedView(stored, orientation), 0, "TIFF orientation " + orientation);
    }

    @Test
    void orientationKeepsTheImageTypeSixteenBitGreyAndAlpha() throws Exception {
        BufferedImage grey16 = Images.picture(BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 12345);
        BufferedImage turned = Orientation.apply(grey16, 6);
        assertThat(turned.getColorModel().getComponentSize(0)).isEqualTo(16);
        assertThat(turned.getWidth()).isEqualTo(30);
        assertThat(turned.getRaster().getSample(29, 0, 0)).isEqualTo(12345); // stored top-left goes to the top-right
        BufferedImage argb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(2, 1, 0x80123456);
        assertThat(Orientation.apply(argb, 3).getRGB(0, 0)).isEqualTo(0x80123456);
    }

    @Test
    void brokenOrOutOfRangeExifLeavesThePixelsAsStored() throws Exception {
        byte[] plain = TestImages.encodeJpeg(blocks());
        byte[] nine = TestImages.jpegWithOrientation(plain, 9);
        assertThat(decoder.decodeDetailed(nine).orientation()).isEqualTo(1);
        byte[] broken = nine.clone();
        int exif = indexOf(broken, "MM".getBytes(StandardCharsets.US_ASCII));
        broken[exif + 4] = 0x7f; // IFD0 offset far past the segment
        assertThat(decoder.decodeDetailed(broken).image().getWidth()).isEqualTo(48);
    }

    @Test
    void thePixelLimitStillHoldsForATurnedImageAndReportsTheViewersSides() throws Exception {
        BufferedImage wide = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        byte[] jpeg = TestImages.jpegWithOrientation(TestImages.encodeJpeg(wide), 6);
        assertThatThrownBy(() -> new ImageDecoder(19_999).decode(jpeg)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("too-many-pixels"));
        BufferedImage shown = new ImageDecoder(20_000).decode(jpeg);
        assertThat(shown.getWidth()).isEqualTo(100);
        assertThat(shown.getHeight()).isEqualTo(200);
    }

    @Test
    void aPngBombWithAnExifChunkIsStillRefusedFromItsHeader() {
        byte[] bomb = Images.pngHeader(100_000, 100_000);
        assertThatThrownBy(() -> decoder.decode(bomb)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("too-many-pixels"));
        // a JPEG's SOF claiming 60,000 x 60,000 in a few hundred bytes: refused before the TwelveMonkeys reader allocates
        byte[] jpeg = TestImages.encodeJpeg(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB));
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        jpeg[sof + 5] = (byte) 0xEA;
        jpeg[sof + 6] = 0x60;
        jpeg[sof + 7] = (byte) 0xEA;
        jpeg[sof + 8] = 0x60;
        assertThatThrownBy(() -> decoder.decode(jpeg)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("too-many-pixels")).hasMessageContaining("60000x60000");
    }

    // ---- colour ----

    /** Ink amounts (C, M, Y, K, 0-255) and the sRGB reference: (1 - C)(1 - K) and so on, the conversion used without a profile. */
    static final int[][] INKS = {{0, 0, 0, 0}, {255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255}, {0, 0, 0, 128},
        {64, 128, 192, 32}};

    static int[] reference(int[] ink) {
        int[] rgb = new int[3];
        for (int i = 0; i < 3; i++) {
            rgb[i] = (int) Math.round(255 * (1 - ink[i] / 255.0) * (1 - ink[3] / 255.0));
        }
        return rgb;
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Cmyk.class, names = {"ADOBE_INVERTED", "YCCK"})
    void cmykAndYcckJpegsComeOutInTheRightColours(TestImages.Cmyk variant) throws Exception {
        for (int[] ink : INKS) {
            ImageDecoder.Decoded d = decoder.decodeDetailed(TestImages.cmykJpeg(ink[0], ink[1], ink[2], ink[3], variant));
            int[] ref = reference(ink);
            int p = Preprocessor.flatten(d.image()).getRGB(16, 16);
            assertThat(diff(p, (ref[0] << 16) | (ref[1] << 8) | ref[2])).as("%s CMYK %s -> %06X, reference %s", variant,
                    Arrays.toString(ink), p & 0xffffff, Arrays.toString(ref)).isLessThanOrEqualTo(4);
            assertThat(d.converted()).isTrue();
        }
    }

    @Test
    void aFourComponentJpegWithoutAnAdobeMarkerIsRefusedNotGuessed() {
        byte[] ambiguous = TestImages.cmykJpeg(0, 0, 0, 128, TestImages.Cmyk.PLAIN);
        assertThatThrownBy(() -> decoder.decode(ambiguous)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo("unsupported-format")).hasMessageContaining("Adobe");
    }

    @Test
    void iccProfiledJpegsAreConvertedToSrgb() throws Exception {
        // linear-light RGB (the JDK's CS_LINEAR_RGB profile, embedded): sRGB = the sRGB transfer function of the value
        byte[] linear = TestImages.iccJpeg(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB), 51, 102, 204);
        int[] want = {TestImages.srgb(51 / 255.0), TestImages.srgb(102 / 255.0), TestImages.srgb(204 / 255.0)};
        assertColour(decoder.decode(linear), want, 4, "linear RGB ICC");

        // a grey profile with a linear tone curve: grey 128 is half the light, sRGB 188
        byte[] grey = TestImages.iccJpeg(TestImages.greyProfile(1.0), 128);
        assertColour(decoder.decode(grey), new int[] {188, 188, 188}, 4, "linear grey ICC");

        // Adobe RGB (1998): its gamma, then its matrix to XYZ (D65) and XYZ to linear sRGB (IEC 61966-2-1)
        byte[] adobe = TestImages.iccJpeg(TestImages.adobeRgbLike(), 100, 150, 60);
        double[] lin = new double[3];
        int[] stored = {100, 150, 60};
        for (int i = 0; i < 3; i++) {
            lin[i] = Math.pow(stored[i] / 255.0, 563 / 256.0);
        }
        double[][] toXyz = {{0.5767, 0.1856, 0.1882}, {0.2973, 0.6274, 0.0753}, {0.0270, 0.0707, 0.9911}};
        double[][] toSrgb = {{3.2406, -1.5372, -0.4986}, {-0.9689, 1.8758, 0.0415}, {0.0557, -0.2040, 1.0570}};
        double[] xyz = mul(toXyz, lin);
        double[] srgbLin = mul(toSrgb, xyz);
        int[] adobeWant = {TestImages.srgb(srgbLin[0]), TestImages.srgb(srgbLin[1]), TestImages.srgb(srgbLin[2])};
        assertColour(decoder.decode(adobe), adobeWant, 6, "Adobe RGB ICC");
    }

    static double[] mul(double[][] m, double[] v) {
        double[] out = new double[3];
        for (int r = 0; r < 3; r++) {
            out[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
        }
        return out;
    }

    static void assertColour(BufferedImage image, int[] want, int tolerance, String what) {
        int p = Preprocessor.flatten(image).getRGB(16, 16);
        assertThat(diff(p, (want[0] << 16) | (want[1] << 8) | want[2]))
                .as("%s: got %06X, want %s", what, p & 0xffffff, Arrays.toString(want)).isLessThanOrEqualTo(tolerance);
    }

    // ---- the field's cases ----

    @Test
    void theFieldsCasesDecodeAsAViewerShowsThem() throws Exception {
        ImageDecoder.Decoded turned = decoder.decodeDetailed(Images.resource("/cases/field/exif-orient6-7.jpg"));
        assertThat(turned.orientation()).isEqualTo(6);
        ImageDecoder.Decoded cmyk = decoder.decodeDetailed(Images.resource("/cases/field/cmyk-adobe-3.jpg"));
        assertThat(cmyk.converted()).isTrue();
        // a white 3 on black, in K and CMY: every pixel neutral grey, the background black, the ink white
        BufferedImage flat = Preprocessor.flatten(cmyk.image());
        int brightest = 0;
        for (int y = 0; y < flat.getHeight(); y++) {
            for (int x = 0; x < flat.getWidth(); x++) {
                int p = flat.getRGB(x, y);
                assertThat(diff(p, (p & 0xff) * 0x010101)).as("neutral at %d,%d", x, y).isLessThanOrEqualTo(6);
                brightest = Math.max(brightest, p & 0xff);
            }
        }
        assertThat(flat.getRGB(0, 0) & 0xff).as("background").isLessThanOrEqualTo(8);
        assertThat(brightest).as("ink").isGreaterThanOrEqualTo(240);
        ImageDecoder.Decoded la = decoder.decodeDetailed(Images.resource("/cases/field/la-white-ink-4.png"));
        assertThat(la.image().getColorModel().hasAlpha()).isTrue();
    }

    static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }


    @Test
    void largePhotosAreReadSubsampledToWhatTheTaskNeedsInTheViewersOrientation() throws Exception {
        // 4000x3000 with a marker block at the file's top-left corner, stored turned (EXIF 6: shown 3000 wide).
        BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = big.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 4000, 3000);
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        byte[] jpeg = TestImages.jpegWithOrientation(TestImages.encodeJpeg(big), 6);

        ImageDecoder decoder = new ImageDecoder(40_000_000);
        ImageDecoder.Decoded full = decoder.decodeDetailed(jpeg, 0);
        ImageDecoder.Decoded sub = decoder.decodeDetailed(jpeg, 1300);

        assertThat(full.subsampling()).isEqualTo(1);
        assertThat(full.image().getWidth()).isEqualTo(3000);
        assertThat(sub.subsampling()).as("the largest factor keeping 1300 px of the long side").isEqualTo(3);
        assertThat(sub.image().getWidth()).isEqualTo(1000);
        assertThat(sub.image().getHeight()).isEqualTo(1334);
        assertThat(sub.width()).as("the viewer's width, not the decoded one").isEqualTo(3000);
        assertThat(sub.height()).isEqualTo(4000);
        // EXIF 6 turns the file clockwise: its top-left corner is now top-right, at the same place in both.
        int red = 0xff0000;
        assertThat(sub.image().getRGB(sub.image().getWidth() - 10, 10) & 0xf00000).isEqualTo(red & 0xf00000);
        assertThat(full.image().getRGB(full.image().getWidth() - 30, 30) & 0xf00000).isEqualTo(red & 0xf00000);
        assertThat(sub.image().getRGB(10, 10) & 0xffffff).isNotEqualTo(sub.image().getRGB(sub.image().getWidth() - 10, 10) & 0xffffff);
        // A strip is not thinned across: 4000x96 for 1920 px keeps its 96 rows (a quarter of 1920 is 480);
        // 8000x1000 keeps 500 (factor 2, where the long side alone allowed 4).
        assertThat(ImageDecoder.subsampling(4000, 96, 1920)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(96, 4000, 1920)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(8000, 1000, 1920)).isEqualTo(2);
        assertThat(ImageDecoder.subsampling(4000, 3000, 1300)).isEqualTo(3);
        // Small inputs are never enlarged or subsampled.
        assertThat(decoder.decodeDetailed(Images.encode(Images.picture(BufferedImage.TYPE_INT_RGB), "png"), 1300)
                .subsampling()).isEqualTo(1);
    }
}
