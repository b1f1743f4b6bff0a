package io.imageworker.documents;

import io.imageworker.imaging.ImageException;
import io.imageworker.imaging.ImageFrames;
import java.awt.image.BufferedImage;

/**
 * A multi-page TIFF's pages or a GIF's frames, through {@link ImageFrames} (the readers and checks of
 * {@code imaging}): each page decoded as stored, its size checked against the page pixel limit first.
 * Decoding has no time budget: its work is bounded by the pixels, which the limit bounds.
 */
final class FrameSource implements DocumentPages.Source {

    private final ImageFrames frames;
    private final int count;

    private FrameSource(ImageFrames frames, int count) {
        this.frames = frames;
        this.count = count;
    }

    static FrameSource open(byte[] bytes, DocumentLimits limits) throws DocumentException {
        ImageFrames frames;
        try {
            frames = ImageFrames.open(bytes, limits.maxPagePixels());
        } catch (ImageException e) {
            throw new DocumentException("corrupt-document", "the document is damaged: " + e.getMessage(), e);
        }
        try {
            return new FrameSource(frames, frames.count());
        } catch (ImageException e) {
            frames.close();
            throw new DocumentException("corrupt-document", "the document is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public int pageCount() {
        return count;
    }

    @Override
    public Page page(int number) {
        int[] size = {0, 0};
        try {
            size = frames.size(number - 1);
            BufferedImage image = frames.decode(number - 1);
            return new Page(number, image.getWidth(), image.getHeight(), 0, image, null);
        } catch (ImageException e) {
            String code = e.code().equals("too-many-pixels") ? "too-many-pixels" : "corrupt-page";
            return Page.failed(number, size[0], size[1], 0, new DocumentException(code, "page " + number + ": "
                    + e.getMessage(), e));
        }
    }

    @Override
    public TextLayer.Text text(int number) {
        return TextLayer.Text.NONE;
    }

    @Override
    public void close() {
        frames.close();
    }
}
