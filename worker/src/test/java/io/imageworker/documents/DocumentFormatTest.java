package io.imageworker.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.ImageFrames;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import org.junit.jupiter.api.Test;

/**
 * {@link DocumentFormat#singlePage}: the frame headers walked without a reader tell a one-page TIFF or
 * GIF from a longer one exactly as the image readers count their frames.
 */
class DocumentFormatTest {

    static List<BufferedImage> pages(int n, int type) {
        List<BufferedImage> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestDocuments.page(300, 200, "page " + (i + 1), type));
        }
        return out;
    }

    /** A TIFF written little-endian ({@code II}); the writer's default is big-endian ({@code MM}). */
    static byte[] littleEndianTiff(List<BufferedImage> pages) throws Exception {
        ImageWriter writer = new TIFFImageWriterSpi().createWriterInstance(null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            out.setByteOrder(ByteOrder.LITTLE_ENDIAN);
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Deflate");
            writer.prepareWriteSequence(null);
            for (BufferedImage p : pages) {
                writer.writeToSequence(new IIOImage(p, null, null), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static int frames(byte[] bytes) throws Exception {
        try (ImageFrames f = ImageFrames.open(bytes, 100_000_000L)) {
            return f.count();
        }
    }

    @Test
    void oneTiffOrGifPageIsToldFromSeveralAsTheReadersCountThem() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int n : new int[] {1, 3}) {
            files.put("LZW TIFF of " + n, TestDocuments.tiff(pages(n, BufferedImage.TYPE_INT_RGB), "LZW"));
            files.put("G4 fax TIFF of " + n, TestDocuments.tiff(pages(n, BufferedImage.TYPE_BYTE_BINARY), "CCITT T.6"));
            files.put("little-endian TIFF of " + n, littleEndianTiff(pages(n, BufferedImage.TYPE_BYTE_GRAY)));
            files.put("GIF of " + n, TestDocuments.gif(pages(n, BufferedImage.TYPE_BYTE_INDEXED)));
        }
        files.put("optimised GIF of 2", TestDocuments.gifWithPatch(pages(1, BufferedImage.TYPE_BYTE_INDEXED).get(0),
                TestDocuments.page(40, 30, "x", BufferedImage.TYPE_BYTE_INDEXED), 10, 10, "doNotDispose"));
        assertThat(files.get("LZW TIFF of 1")[0]).as("the writer's default byte order").isEqualTo((byte) 'M');
        assertThat(files.get("little-endian TIFF of 1")[0]).isEqualTo((byte) 'I');
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertThat(DocumentFormat.singlePage(e.getValue())).as(e.getKey()).isEqualTo(frames(e.getValue()) == 1);
        }
    }

    @Test
    void aPdfAnImageAndHeadersThatCannotBeWalkedAreNotOnePage() throws Exception {
        assertThat(DocumentFormat.singlePage(TestDocuments.pdf(List.of("one page")))).isFalse();
        assertThat(DocumentFormat.singlePage(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})).isFalse();
        byte[] tiff = TestDocuments.tiff(pages(1, BufferedImage.TYPE_INT_RGB), "LZW");
        // the first directory's offset pointing past the end
        byte[] lost = tiff.clone();
        lost[4] = (byte) 0x7F;
        assertThat(DocumentFormat.singlePage(lost)).isFalse();
        assertThat(DocumentFormat.singlePage(Arrays.copyOf(tiff, 8))).isFalse();
    }

    @Test
    void aOnePageStandardFaxIsReadAsADocumentPageWithSquarePixels() throws Exception {
        java.awt.image.BufferedImage page = TestDocuments.page(408, 196, "fax", java.awt.image.BufferedImage.TYPE_BYTE_BINARY);
        byte[] standard = TestDocuments.tiff(List.of(page), "CCITT T.4", new int[1], new int[] {204, 98});
        byte[] fine = TestDocuments.tiff(List.of(page), "CCITT T.4", new int[1], new int[] {204, 196});
        assertThat(DocumentFormat.singlePage(fine)).isTrue();
        assertThat(DocumentFormat.singlePage(standard)).isFalse();
        try (DocumentPages doc = DocumentPages.open(standard, DocumentLimits.defaults())) {
            assertThat(doc.pageCount()).isEqualTo(1);
            assertThat(doc.page(1).height()).isEqualTo((int) Math.round(196 * 204 / 98.0));
        }
    }
}
