package io.imageworker.training.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import io.imageworker.documents.FallbackFonts;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Generates the documents measurement set (issue 28, section 4): documents whose every page's text is
 * known, one per kind, {@value #PAGES} A5 pages of {@value #LINES} lines each (English words, prices,
 * dates and numbers from {@link TextLines}), drawn at 11 pt:
 * <ul>
 *   <li>{@code scan-pdf}: each page drawn at 300 dpi in grey and put in a PDF as a lossless image, as a
 *       scanner that writes PDF does (no text layer);</li>
 *   <li>{@code text-layer-pdf}: the text as PDF text (Helvetica), so the page has a text layer;</li>
 *   <li>{@code fax-tiff}: a multi-page TIFF of 1-bit pages at fax fine resolution (204 x 196 dpi), CCITT
 *       Group 4, with speckle noise (0.2% of pixels flipped);</li>
 *   <li>{@code grey-tiff}: a multi-page TIFF of 8-bit grey pages at 300 dpi, LZW;</li>
 *   <li>{@code rotated-scan-pdf}: as {@code scan-pdf} but turned by 1.5-3 degrees either way, with sensor
 *       noise (Gaussian, sigma 12 grey levels) and stored as JPEG at quality 0.6: a crooked office scan;</li>
 *   <li>{@code fax-standard-tiff}: 1-bit pages at fax standard resolution (204 x 98 dpi, the T.4 default
 *       mode), CCITT Group 3 (T.4), with speckle noise (0.2%) and the resolution tags a fax server writes;</li>
 *   <li>{@code photo-pdf}: a page photographed with a phone, as scanner apps save it: seen at an angle
 *       (the top 6-10% narrower than the bottom, a turn of up to 2 degrees), on a desk, lit from one side (a
 *       quarter darker at the far edge), out of focus (Gaussian blur, sigma 1.4 pixels at 300 dpi), sensor
 *       noise (sigma 8), JPEG at quality 0.75 in a PDF;</li>
 *   <li>{@code photo-shared-pdf}: a hurried photo sent through a messaging app: a steeper angle (the top
 *       12-18% narrower, a turn of up to 4 degrees), the phone's shadow over part of the page (45% darker,
 *       a soft edge), blur, noise (sigma 10), shrunk to 1280 px on its long side, JPEG at quality 0.6.</li>
 * </ul>
 * Deterministic for a seed and the fonts (Debian's {@code fonts-dejavu-core} and {@code fonts-liberation2};
 * Java2D's rasteriser may differ by a grey level between JDK builds). The files are not kept in git:
 * {@code DocumentSetTest} in {@code tools/} writes them, with {@code truth.json}, to
 * {@code tools/target/document-set/}.
 */
public final class DocumentSet {

    /** The seed of the set the docs' figures come from. */
    public static final long SEED = 20261207L;
    /** Pages per document. */
    public static final int PAGES = 2;
    /** Lines per page. */
    public static final int LINES = 12;
    /** The A5 page, inches. */
    static final double PAGE_W_IN = 148 / 25.4;
    static final double PAGE_H_IN = 210 / 25.4;
    /** Text size, points; first baseline and line pitch, inches from the top; left margin, inches. */
    static final float POINTS = 11;
    static final double TOP_IN = 0.9;
    static final double PITCH_IN = 0.3;
    static final double LEFT_IN = 0.6;

    /** The kinds of document in the set, with their file names. */
    public enum Kind {
        SCAN_PDF("scan-pdf", "scan.pdf"),
        TEXT_LAYER_PDF("text-layer-pdf", "text-layer.pdf"),
        FAX_TIFF("fax-tiff", "fax-g4.tif"),
        GREY_TIFF("grey-tiff", "grey-lzw.tif"),
        ROTATED_SCAN_PDF("rotated-scan-pdf", "rotated-scan.pdf"),
        // new kinds go last: each kind draws its lines from one Random in this order, so the earlier kinds keep their pages
        FAX_STANDARD_TIFF("fax-standard-tiff", "fax-g3-standard.tif"),
        PHOTO_PDF("photo-pdf", "photographed.pdf"),
        PHOTO_SHARED_PDF("photo-shared-pdf", "photographed-shared.pdf");

        /** The kind's name in tables and truth.json. */
        public final String label;
        /** Its file under the set's folder. */
        public final String file;
        /** Whether its pages are photographs (uneven light). */
        public final boolean photo;

        Kind(String label, String file) {
            this.label = label;
            this.file = file;
            this.photo = label.startsWith("photo");
        }
    }

    /**
     * One document of the set.
     *
     * @param kind its kind
     * @param file its file name under the set's folder
     * @param pages each page's text, lines separated by line breaks
     */
    public record Document(Kind kind, String file, List<String> pages) {}

    private DocumentSet() {}

    /**
     * Writes one document of every kind and {@code truth.json} (the list of {@link Document}s) into {@code dir}.
     *
     * @return the documents written, in {@link Kind} order
     */
    public static List<Document> write(Path dir, long seed) throws IOException {
        FallbackFonts.install(); // Helvetica below: no scan of the machine's fonts, the same shapes everywhere
        Files.createDirectories(dir);
        Font font = font("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
        Random r = new Random(seed);
        List<Document> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<List<String>> pages = text(PAGES, r);
            byte[] bytes = switch (kind) {
                case SCAN_PDF -> scanPdf(pages, font, null);
                case TEXT_LAYER_PDF -> textPdf(pages);
                case FAX_TIFF -> tiff(pages, font, 204, 196, "CCITT T.6", r);
                case GREY_TIFF -> tiff(pages, font, 300, 300, "LZW", r);
                case ROTATED_SCAN_PDF -> scanPdf(pages, font, r);
                case FAX_STANDARD_TIFF -> tiff(pages, font, 204, 98, "CCITT T.4", r);
                case PHOTO_PDF -> PagePhotos.pdf(pages, font, r, PagePhotos.Shot.DESK);
                case PHOTO_SHARED_PDF -> PagePhotos.pdf(pages, font, r, PagePhotos.Shot.SHARED);
            };
            Files.write(dir.resolve(kind.file), bytes);
            out.add(new Document(kind, kind.file, pages.stream().map(l -> String.join("\n", l)).toList()));
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("truth.json").toFile(), out);
        return out;
    }

    /**
     * A scanned PDF of {@code pages} A5 pages (as {@code scan-pdf}: drawn at 300 dpi, grey, lossless), for
     * measures that need documents of a given length rather than the set.
     */
    public static byte[] scans(int pages, long seed) throws IOException {
        FallbackFonts.install();
        Font font = font("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
        return scanPdf(text(pages, new Random(seed)), font, null);
    }

    /** {@code pages} pages of {@value #LINES} lines each, drawn from {@code r}. */
    private static List<List<String>> text(int pages, Random r) {
        List<List<String>> text = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            List<String> lines = new ArrayList<>();
            for (int l = 0; l < LINES; l++) {
                lines.add(TextLines.line(r));
            }
            text.add(lines);
        }
        return text;
    }

    static Font font(String file) throws IOException {
        try {
            return Font.createFont(Font.TRUETYPE_FONT, Path.of(file).toFile());
        } catch (FontFormatException e) {
            throw new IOException("cannot read the font " + file, e);
        }
    }

    /** One page's lines drawn black on white at {@code xDpi} x {@code yDpi}, in grey. */
    static BufferedImage draw(List<String> lines, Font font, double xDpi, double yDpi) {
        int w = (int) Math.round(PAGE_W_IN * xDpi);
        int h = (int) Math.round(PAGE_H_IN * yDpi);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        // sizes in points at the vertical resolution, stretched across for fax's unequal resolutions
        g.scale(xDpi / yDpi, 1);
        g.setFont(font.deriveFont((float) (POINTS * yDpi / 72)));
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), (float) (LEFT_IN * yDpi), (float) ((TOP_IN + i * PITCH_IN) * yDpi));
        }
        g.dispose();
        return image;
    }

    /** Pages drawn at 300 dpi into a PDF as images; crooked, noisy and JPEG-coded when {@code crooked} is given. */
    static byte[] scanPdf(List<List<String>> pages, Font font, Random crooked) throws IOException {
        try (PDDocument d = new PDDocument()) {
            for (List<String> lines : pages) {
                BufferedImage scan = draw(lines, font, 300, 300);
                PDImageXObject image;
                if (crooked != null) {
                    double degrees = (1.5 + 1.5 * crooked.nextDouble()) * (crooked.nextBoolean() ? 1 : -1);
                    scan = noise(turn(scan, degrees), crooked, 12);
                    image = JPEGFactory.createFromImage(d, scan, 0.6f);
                } else {
                    image = LosslessFactory.createFromImage(d, scan);
                }
                PDPage page = new PDPage(new PDRectangle((float) (PAGE_W_IN * 72), (float) (PAGE_H_IN * 72)));
                d.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                    cs.drawImage(image, 0, 0, page.getMediaBox().getWidth(), page.getMediaBox().getHeight());
                }
            }
            return save(d);
        }
    }

    /** Pages as PDF text in Helvetica at the same places: a text layer. */
    static byte[] textPdf(List<List<String>> pages) throws IOException {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        try (PDDocument d = new PDDocument()) {
            for (List<String> lines : pages) {
                PDPage page = new PDPage(new PDRectangle((float) (PAGE_W_IN * 72), (float) (PAGE_H_IN * 72)));
                d.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                    cs.beginText();
                    cs.setFont(helvetica, POINTS);
                    cs.newLineAtOffset((float) (LEFT_IN * 72), (float) ((PAGE_H_IN - TOP_IN) * 72));
                    for (String line : lines) {
                        cs.showText(line);
                        cs.newLineAtOffset(0, (float) (-PITCH_IN * 72));
                    }
                    cs.endText();
                }
            }
            return save(d);
        }
    }

    /**
     * Pages as a multi-page TIFF with their resolution tags: 1-bit with speckles for the CCITT compressions
     * (fax), else 8-bit grey.
     */
    static byte[] tiff(List<List<String>> pages, Font font, int xDpi, int yDpi, String compression, Random r) throws IOException {
        boolean fax = compression.startsWith("CCITT");
        ImageWriter writer = new TIFFImageWriterSpi().createWriterInstance(null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
            writer.prepareWriteSequence(null);
            for (List<String> lines : pages) {
                BufferedImage page = draw(lines, font, xDpi, yDpi);
                BufferedImage stored = fax ? speckle(binarise(page), r, 0.002) : page;
                writer.writeToSequence(new IIOImage(stored, null, resolution(writer, param, stored, xDpi, yDpi)), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Image metadata with {@code XResolution}, {@code YResolution} (dots per inch) and {@code ResolutionUnit} inch. */
    private static javax.imageio.metadata.IIOMetadata resolution(ImageWriter writer, ImageWriteParam param, BufferedImage image,
            int xDpi, int yDpi) throws IOException {
        var meta = writer.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
        String format = "com_sun_media_imageio_plugins_tiff_image_1.0";
        var root = new javax.imageio.metadata.IIOMetadataNode(format);
        var ifd = new javax.imageio.metadata.IIOMetadataNode("TIFFIFD");
        ifd.appendChild(field(282, "XResolution", "TIFFRational", xDpi + "/1"));
        ifd.appendChild(field(283, "YResolution", "TIFFRational", yDpi + "/1"));
        ifd.appendChild(field(296, "ResolutionUnit", "TIFFShort", "2"));
        root.appendChild(ifd);
        meta.mergeTree(format, root);
        return meta;
    }

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

    static BufferedImage turn(BufferedImage image, double degrees) {
        AffineTransform t = AffineTransform.getRotateInstance(Math.toRadians(degrees), image.getWidth() / 2.0,
                image.getHeight() / 2.0);
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(image, new AffineTransformOp(t, AffineTransformOp.TYPE_BILINEAR), 0, 0);
        g.dispose();
        return out;
    }

    static BufferedImage noise(BufferedImage grey, Random r, double sigma) {
        var raster = grey.getRaster();
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                int v = (int) Math.round(raster.getSample(x, y, 0) + r.nextGaussian() * sigma);
                raster.setSample(x, y, 0, Math.max(0, Math.min(255, v)));
            }
        }
        return grey;
    }

    static BufferedImage binarise(BufferedImage grey) {
        BufferedImage out = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        var in = grey.getRaster();
        var bits = out.getRaster();
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                bits.setSample(x, y, 0, in.getSample(x, y, 0) >= 128 ? 1 : 0);
            }
        }
        return out;
    }

    static BufferedImage speckle(BufferedImage bits, Random r, double fraction) {
        var raster = bits.getRaster();
        long n = Math.round(bits.getWidth() * (long) bits.getHeight() * fraction);
        for (long i = 0; i < n; i++) {
            int x = r.nextInt(bits.getWidth());
            int y = r.nextInt(bits.getHeight());
            raster.setSample(x, y, 0, 1 - raster.getSample(x, y, 0));
        }
        return bits;
    }

    static byte[] save(PDDocument d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.save(out);
        return out.toByteArray();
    }

    /**
     * A kind's figures as a row of the Markdown table in docs/tasks/documents.md: pages, seconds to render
     * (PDF) or decode (TIFF) a page at 300 dpi, the project's OCR's CER and seconds per page, Tesseract's
     * (NaN prints "not installed"), and the text layer's where the pages have a sane one ({@code textLayer:
     * auto}; NaN prints "no layer").
     */
    public static String row(String kind, int pages, double renderSeconds, double ourCer, double ourSeconds, double tesseractCer,
            double tesseractSeconds, double layerCer, double layerSeconds) {
        String peer = Double.isNaN(tesseractCer) ? "not installed | -"
                : String.format(Locale.ROOT, "%.4f | %.2f", tesseractCer, tesseractSeconds);
        String layer = Double.isNaN(layerCer) ? "no layer | -" : String.format(Locale.ROOT, "%.4f | %.4f", layerCer, layerSeconds);
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.4f | %.2f | %s | %s |", kind, pages, renderSeconds, ourCer,
                ourSeconds, peer, layer);
    }
}
