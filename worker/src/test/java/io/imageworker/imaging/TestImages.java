package io.imageworker.imaging;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Inputs for the imaging tests, built here from first principles so that each test says exactly what
 * the file holds: EXIF segments and chunks written byte by byte from the EXIF/TIFF and PNG specs, CMYK
 * and YCCK JPEGs written by the JDK's own JPEG writer from a four-band raster (the JDK writes an Adobe
 * APP14 marker, transform 0, and turns CMYK into YCCK when the marker says transform 2), and ICC-profiled
 * JPEGs from images in an ICC colour space. Always the JDK's writers: TwelveMonkeys reads these files.
 */
public final class TestImages {

    private TestImages() {}

    /** {@code image} as a JPEG of quality 1.0, by the JDK's writer. */
    public static byte[] encodeJpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            return write(writer, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** A TIFF header and one IFD holding only the orientation tag, big-endian ("MM"). */
    public static byte[] exifTiff(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(26);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // header, IFD0 at 8
        b.putShort((short) 1);                                             // one entry
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);                                                       // no next IFD
        return b.array();
    }

    /** {@code jpeg} with an APP1 Exif segment carrying {@code orientation}, placed after SOI and any APP0. */
    public static byte[] jpegWithOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = exifTiff(orientation);
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length));
        app1.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0).put(tiff);
        int at = 2;
        if ((jpeg[2] & 0xff) == 0xFF && (jpeg[3] & 0xff) == 0xE0) {
            at = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
        }
        return splice(jpeg, at, 0, app1.array());
    }

    /** {@code png} with an {@code eXIf} chunk carrying {@code orientation}, placed right after IHDR. */
    public static byte[] pngWithOrientation(byte[] png, int orientation) {
        byte[] tiff = exifTiff(orientation);
        ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
        chunk.putInt(tiff.length).put("eXIf".getBytes(StandardCharsets.US_ASCII)).put(tiff);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + tiff.length);
        chunk.putInt((int) crc.getValue());
        return splice(png, 8 + 25, 0, chunk.array()); // signature, IHDR (13 bytes of data + 12)
    }

    /** {@code tiff}'s bytes with an orientation tag, written by the JDK's TIFF writer from {@code image}. */
    public static byte[] tiffWithOrientation(BufferedImage image, int orientation) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata md = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            javax.imageio.plugins.tiff.TIFFDirectory dir = javax.imageio.plugins.tiff.TIFFDirectory.createFromMetadata(md);
            dir.addTIFFField(new javax.imageio.plugins.tiff.TIFFField(
                    javax.imageio.plugins.tiff.BaselineTIFFTagSet.getInstance().getTag(274),
                    javax.imageio.plugins.tiff.TIFFTag.TIFF_SHORT, 1, new char[] {(char) orientation}));
            return write(writer, new IIOImage(image, null, dir.getAsMetadata()), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** How the four bands of a CMYK JPEG are stored. */
    public enum Cmyk {
        /** No Adobe marker: plain ink amounts (0 = no ink). */
        PLAIN,
        /** Adobe APP14, transform 0: inverted ink amounts (255 = no ink), as Photoshop writes them. */
        ADOBE_INVERTED,
        /** Adobe APP14, transform 2: YCCK, the inverted CMY carried as YCbCr, K as is. */
        YCCK
    }

    /**
     * A 32x32 JPEG of one CMYK colour ({@code c, m, y, k} are ink amounts 0-255) stored as {@code variant}
     * says. Quality 1.0 so that a flat colour survives compression within a level or two.
     */
    public static byte[] cmykJpeg(int c, int m, int y, int k, Cmyk variant) {
        int[][] inks = new int[32 * 32][];
        Arrays.fill(inks, new int[] {c, m, y, k});
        return cmykJpeg(inks, 32, 32, variant);
    }

    /** {@code grey} (display greys) printed in black ink only (K = 255 - grey), as a CMYK JPEG stored as {@code variant} says. */
    public static byte[] cmykJpeg(BufferedImage grey, Cmyk variant) {
        int w = grey.getWidth();
        int h = grey.getHeight();
        int[][] inks = new int[w * h][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                inks[y * w + x] = new int[] {0, 0, 0, 255 - grey.getRaster().getSample(x, y, 0)};
            }
        }
        return cmykJpeg(inks, w, h, variant);
    }

    /** A {@code w x h} CMYK JPEG of per-pixel ink amounts (C, M, Y, K, row by row), stored as {@code variant} says. */
    static byte[] cmykJpeg(int[][] inks, int w, int h, Cmyk variant) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int i = 0; i < inks.length; i++) {
            raster.setPixel(i % w, i / w, stored(inks[i], variant));
        }
        return writeCmyk(raster, variant);
    }

    private static int[] stored(int[] ink, Cmyk variant) {
        int[] stored = new int[4];
        for (int i = 0; i < 4; i++) {
            stored[i] = variant == Cmyk.PLAIN ? ink[i] : 255 - ink[i];
        }
        if (variant == Cmyk.YCCK) {
            // The JDK's writer labels the scan YCCK but writes the samples as given: do the Adobe YCCK transform
            // here (the inverted CMY as R, G, B = 255 - stored, to YCbCr by JFIF's equations; K as stored).
            double r = 255 - stored[0];
            double g = 255 - stored[1];
            double b = 255 - stored[2];
            stored[0] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            stored[1] = (int) Math.round(Math.max(0, Math.min(255, -0.168736 * r - 0.331264 * g + 0.5 * b + 128)));
            stored[2] = (int) Math.round(Math.max(0, Math.min(255, 0.5 * r - 0.418688 * g - 0.081312 * b + 128)));
        }
        return stored;
    }

    private static byte[] writeCmyk(WritableRaster raster, Cmyk variant) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            IIOMetadata md = null;
            if (variant != Cmyk.PLAIN) {
                // the JDK's metadata for a CMYK image type has an Adobe marker, transform 0; transform 2 makes it write YCCK
                ComponentColorModel cm = new ComponentColorModel(new NaiveCmyk(), false, false, java.awt.Transparency.OPAQUE,
                        DataBuffer.TYPE_BYTE);
                md = writer.getDefaultImageMetadata(new ImageTypeSpecifier(cm, raster.getSampleModel()), param);
                String f = "javax_imageio_jpeg_image_1.0";
                IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(f);
                IIOMetadataNode adobe = find(root, "app14Adobe");
                adobe.setAttribute("transform", variant == Cmyk.YCCK ? "2" : "0");
                md.setFromTree(f, root);
            }
            byte[] jpeg = write(writer, new IIOImage(raster, null, md), param);
            return jpeg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** A CMYK colour space, only so that the JDK's JPEG writer makes CMYK metadata; its conversions are never used. */
    private static final class NaiveCmyk extends ColorSpace {
        NaiveCmyk() {
            super(ColorSpace.TYPE_CMYK, 4);
        }

        @Override
        public float[] toRGB(float[] v) {
            return new float[] {(1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3])};
        }

        @Override
        public float[] fromRGB(float[] rgb) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] toCIEXYZ(float[] v) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] fromCIEXYZ(float[] xyz) {
            throw new UnsupportedOperationException();
        }
    }

    /** A 32x32 JPEG whose pixels are {@code stored} in the colour space of {@code profile}, which the JDK writer embeds (APP2). */
    public static byte[] iccJpeg(ICC_Profile profile, int... stored) {
        ICC_ColorSpace cs = new ICC_ColorSpace(profile);
        int n = cs.getNumComponents();
        ComponentColorModel cm = new ComponentColorModel(cs, false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(32, 32);
        int[] px = java.util.Arrays.copyOf(stored, n);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                raster.setPixel(x, y, px);
            }
        }
        return encodeJpeg(new BufferedImage(cm, raster, false, null));
    }

    /**
     * An RGB profile with Adobe RGB (1998)'s primaries and gamma (563/256), made from the JDK's sRGB profile
     * by replacing its colorant and tone curve tags (values: Adobe RGB (1998) specification, Bradford-adapted
     * to D50 as ICC profiles store them).
     */
    public static ICC_Profile adobeRgbLike() {
        ICC_Profile p = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        p.setData(ICC_Profile.icSigRedColorantTag, xyz(0.60974, 0.31111, 0.01947));
        p.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.20528, 0.62567, 0.06087));
        p.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.14919, 0.06322, 0.74457));
        byte[] curve = ByteBuffer.allocate(14).put("curv".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(1)
                .putShort((short) 563).array();
        p.setData(ICC_Profile.icSigRedTRCTag, curve);
        p.setData(ICC_Profile.icSigGreenTRCTag, curve);
        p.setData(ICC_Profile.icSigBlueTRCTag, curve);
        return ICC_Profile.getInstance(p.getData());
    }

    /** A grey profile with tone curve gamma {@code gamma}, made from the JDK's grey profile (which is linear). */
    public static ICC_Profile greyProfile(double gamma) {
        ICC_Profile p = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData());
        p.setData(ICC_Profile.icSigGrayTRCTag, ByteBuffer.allocate(14).put("curv".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .putInt(1).putShort((short) Math.round(gamma * 256)).array());
        return ICC_Profile.getInstance(p.getData());
    }

    private static byte[] xyz(double x, double y, double z) {
        return ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536)).array();
    }

    private static IIOMetadataNode find(Node node, String name) {
        if (name.equals(node.getNodeName())) {
            return (IIOMetadataNode) node;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            IIOMetadataNode found = find(c, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, image, param);
        }
        return out.toByteArray();
    }

    /** {@code jpeg} without its first APPn/marker segment {@code 0xFF marker} (before the scan). */
    static byte[] withoutSegment(byte[] jpeg, int marker) {
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xff) == 0xFF && (jpeg[p + 1] & 0xff) != 0xDA) {
            int len = ((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff);
            if ((jpeg[p + 1] & 0xff) == marker) {
                return splice(jpeg, p, 2 + len, new byte[0]);
            }
            p += 2 + len;
        }
        throw new IllegalArgumentException("no segment FF" + Integer.toHexString(marker));
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /** The 8-bit sRGB that the sRGB transfer function gives for linear light {@code v} in [0, 1]. */
    public static int srgb(double v) {
        double s = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
        return (int) Math.round(Math.max(0, Math.min(1, s)) * 255);
    }
}
