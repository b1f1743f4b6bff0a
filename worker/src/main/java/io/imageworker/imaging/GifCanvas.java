package io.imageworker.imaging;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The pictures an animated GIF shows, frame by frame: a GIF frame is often only the rectangle that
 * changed, drawn at its offset over what the frames before it left (GIF89a, "Graphic Control
 * Extension": disposal methods). Each picture is the logical screen after drawing frame {@code i}, with
 * the frames before it disposed as they ask (kept, cleared to the background, or restored to the
 * picture before them), flattened on white. Frames are composed in order, so the canvas of the last
 * picture asked for is kept and a later frame continues from it; an earlier one starts again from
 * frame 0. Holds the canvas and, while a frame asks to be restored, one copy of it.
 */
final class GifCanvas {

    private final ImageReader reader;
    private final long maxPixels;
    private final int width;
    private final int height;
    private BufferedImage canvas;
    private int drawn = -1;
    /** What the last drawn frame asks to happen to its rectangle before the next frame is drawn. */
    private String disposal = "none";
    private int[] lastRect;
    private BufferedImage beforeLast;

    GifCanvas(ImageReader reader, int width, int height, long maxPixels) {
        this.reader = reader;
        this.maxPixels = maxPixels;
        this.width = width;
        this.height = height;
    }

    /** The logical screen's size from the stream metadata, or null when it gives none. */
    static int[] screen(ImageReader reader) throws IOException {
        IIOMetadata stream = reader.getStreamMetadata();
        if (stream == null) {
            return null;
        }
        Node lsd = child(stream.getAsTree("javax_imageio_gif_stream_1.0"), "LogicalScreenDescriptor");
        if (lsd == null) {
            return null;
        }
        int w = intAttribute(lsd, "logicalScreenWidth");
        int h = intAttribute(lsd, "logicalScreenHeight");
        return w > 0 && h > 0 ? new int[] {w, h} : null;
    }

    /**
     * The picture after frame {@code index} (0-based), in RGB on white.
     *
     * @throws ImageException {@code too-many-pixels} when a frame drawn on the way is over the limit
     */
    BufferedImage picture(int index) throws IOException, ImageException {
        if (index <= drawn) {
            canvas = null;
            drawn = -1;
        }
        if (canvas == null) {
            canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            disposal = "none";
            beforeLast = null;
        }
        while (drawn < index) {
            draw(drawn + 1);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.drawImage(canvas, 0, 0, null);
        g.dispose();
        return out;
    }

    private void draw(int i) throws IOException, ImageException {
        long pixels = (long) reader.getWidth(i) * reader.getHeight(i);
        if (pixels > maxPixels) {
            throw new ImageException("too-many-pixels", "GIF frame " + (i + 1) + " is " + reader.getWidth(i) + "x"
                    + reader.getHeight(i) + " = " + pixels + " pixels, more than the limit of " + maxPixels);
        }
        // dispose of the previous frame first
        if (disposal.equals("restoreToBackgroundColor") && lastRect != null) {
            Graphics2D g = canvas.createGraphics();
            g.setComposite(AlphaComposite.Clear);
            g.fillRect(lastRect[0], lastRect[1], lastRect[2], lastRect[3]);
            g.dispose();
        } else if (disposal.equals("restoreToPrevious") && beforeLast != null) {
            canvas = beforeLast;
        }
        Node image = reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        Node descriptor = child(image, "ImageDescriptor");
        Node control = child(image, "GraphicControlExtension");
        disposal = control == null ? "none" : control.getAttributes().getNamedItem("disposalMethod").getNodeValue();
        int left = descriptor == null ? 0 : intAttribute(descriptor, "imageLeftPosition");
        int top = descriptor == null ? 0 : intAttribute(descriptor, "imageTopPosition");
        beforeLast = disposal.equals("restoreToPrevious") ? copy(canvas) : null;
        BufferedImage frame = reader.read(i);
        lastRect = new int[] {left, top, frame.getWidth(), frame.getHeight()};
        Graphics2D g = canvas.createGraphics();
        g.drawImage(frame, left, top, null);
        g.dispose();
        drawn = i;
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private static int intAttribute(Node node, String name) {
        NamedNodeMap attributes = node.getAttributes();
        Node a = attributes == null ? null : attributes.getNamedItem(name);
        return a == null ? 0 : Integer.parseInt(a.getNodeValue());
    }
}
