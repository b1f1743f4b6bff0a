package io.imageworker.documents;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Documents made in the tests: PDFs with known text at known places, multi-page TIFFs and GIFs. */
public final class TestDocuments {

    private TestDocuments() {}

    static {
        // before the first font is made here: PDFBox's default mapper would scan the machine's fonts
        FallbackFonts.install();
    }

    /** Helvetica, a standard 14 font: no font file embedded, Unicode mapped by its encoding. */
    static final PDType1Font HELVETICA = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    /** A PDF of A4 pages, each with one line of text: {@code lines.get(i)} at (72, 720) points, 24 pt. */
    static byte[] pdf(List<String> lines) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (String line : lines) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(HELVETICA, 24);
                    cs.newLineAtOffset(72, 720);
                    cs.showText(line);
                    cs.endText();
                }
            }
            return save(doc);
        }
    }

    static byte[] save(PDDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }

    /** A white page of {@code w} x {@code h} with {@code label} in black, as a 1-bit or RGB image. */
    static BufferedImage page(int w, int h, String label, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, h / 10)));
        g.drawString(label, w / 10, h / 2);
        g.dispose();
        return image;
    }

    /** A multi-page TIFF of {@code pages}, written with TwelveMonkeys' writer and {@code compression} ("CCITT T.6", "LZW", ...). */
    public static byte[] tiff(List<BufferedImage> pages, String compression) throws IOException {
        return tiff(pages, compression, new int[pages.size()]);
    }

    /** As {@link #tiff(List, String)}, page i with the orientation tag {@code orientations[i]} (0: none). */
    static byte[] tiff(List<BufferedImage> pages, String compression, int[] orientations) throws IOException {
        return tiff(pages, compression, orientations, null);
    }

    /**
     * As {@link #tiff(List, String, int[])}, every page with {@code XResolution} and {@code YResolution} of
     * {@code dpi} ({x, y} dots per inch) when it is given.
     */
    static byte[] tiff(List<BufferedImage> pages, String compression, int[] orientations, int[] dpi) throws IOException {
        ImageWriter writer = new TIFFImageWriterSpi().createWriterInstance(null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < pages.size(); i++) {
                BufferedImage p = pages.get(i);
                javax.imageio.metadata.IIOMetadata meta = null;
                if (orientations[i] != 0 || dpi != null) {
                    meta = writer.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(p), param);
                    String format = "com_sun_media_imageio_plugins_tiff_image_1.0";
                    var root = new javax.imageio.metadata.IIOMetadataNode(format);
                    var ifd = new javax.imageio.metadata.IIOMetadataNode("TIFFIFD");
                    if (orientations[i] != 0) {
                        ifd.appendChild(field(274, "Orientation", "TIFFShort", Integer.toString(orientations[i])));
                    }
                    if (dpi != null) {
                        ifd.appendChild(field(282, "XResolution", "TIFFRational", dpi[0] + "/1"));
                        ifd.appendChild(field(283, "YResolution", "TIFFRational", dpi[1] + "/1"));
                        ifd.appendChild(field(296, "ResolutionUnit", "TIFFShort", "2"));
                    }
                    root.appendChild(ifd);
                    meta.mergeTree(format, root);
                }
                writer.writeToSequence(new IIOImage(p, null, meta), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A TIFF field of one value in the JDK's TIFF metadata tree ({@code kind}: TIFFShort, TIFFRational, ...). */
    private static javax.imageio.metadata.IIOMetadataNode field(int number, String name, String kind, String value) {
        var field = new javax.imageio.metadata.IIOMetadataNode("TIFFField");
        field.setAttribute("number", Integer.toString(number));
        field.setAttribute("name", name);
        var values = new javax.imageio.metadata.IIOMetadataNode(kind + "s");
        var v = new javax.imageio.metadata.IIOMetadataNode(kind);
        v.setAttribute("value", value);
        values.appendChild(v);
        field.appendChild(values);
        return field;
    }

    /**
     * A GIF whose first frame is {@code first} and whose second is {@code patch} drawn at ({@code x}, {@code y})
     * with disposal {@code disposal} on the first, as an optimised animation stores a change.
     */
    static byte[] gifWithPatch(BufferedImage first, BufferedImage patch, int x, int y, String disposal) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(first, null, frameMetadata(writer, first, 0, 0, disposal)), null);
            writer.writeToSequence(new IIOImage(patch, null, frameMetadata(writer, patch, x, y, "none")), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static javax.imageio.metadata.IIOMetadata frameMetadata(ImageWriter writer, BufferedImage image, int x, int y,
            String disposal) throws IOException {
        javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(
                javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), null);
        String format = "javax_imageio_gif_image_1.0";
        javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) meta.getAsTree(format);
        for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            javax.imageio.metadata.IIOMetadataNode node = (javax.imageio.metadata.IIOMetadataNode) n;
            if (n.getNodeName().equals("ImageDescriptor")) {
                node.setAttribute("imageLeftPosition", Integer.toString(x));
                node.setAttribute("imageTopPosition", Integer.toString(y));
            } else if (n.getNodeName().equals("GraphicControlExtension")) {
                node.setAttribute("disposalMethod", disposal);
            }
        }
        meta.setFromTree(format, root);
        return meta;
    }

    /** A GIF of {@code frames} (full-size frames), written with the JDK's writer. */
    static byte[] gif(List<BufferedImage> frames) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage f : frames) {
                writer.writeToSequence(new IIOImage(f, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A PDF of small landscape pages (5 x 1.67 inches: 1500 x 500 pixels at 300 dpi), one line of 28 pt Helvetica each. */
    public static byte[] linePdf(String... lines) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (String line : lines) {
                PDPage page = new PDPage(new PDRectangle(360, 120));
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 28);
                    cs.newLineAtOffset(24, 48);
                    cs.showText(line);
                    cs.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }


    /** A multi-page LZW TIFF, each page a 1200 x 300 scan of one line of 64 px sans-serif. */
    public static byte[] lineTiff(String... lines) throws Exception {
        List<BufferedImage> pages = new java.util.ArrayList<>();
        for (String line : lines) {
            BufferedImage page = new BufferedImage(1200, 300, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = page.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, page.getWidth(), page.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 64));
            g.drawString(line, 60, 180);
            g.dispose();
            pages.add(page);
        }
        return tiff(pages, "LZW");
    }

}
