package io.imageworker.documents;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.DefaultResourceCache;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;
import org.apache.pdfbox.rendering.RenderDestination;

/**
 * A PDF's pages through PDFBox: loaded from the bytes in memory (a {@code RandomAccessReadBuffer}
 * over them, no copy to disk; streams PDFBox creates are cached in memory, and a read-only render
 * creates few), rendered on the calling thread.
 *
 * <p>What is never done: JavaScript is not run (PDFBox has no interpreter), actions and links are not
 * followed, embedded files are not opened, and streams kept in external files (a stream's {@code /F})
 * are not read: PDFBox renders from the document's own bytes only. Annotations are drawn as their
 * appearance streams, as a viewer prints them.
 *
 * <p>A page's time budget is checked before every content-stream operator, in the page and in the forms,
 * patterns and Type 3 glyphs it draws, and the page fails with {@code page-timeout} once it is spent:
 * the rendering stops on the calling thread, so no thread is left running. One operator is not cut short
 * (a single huge fill), which the pixel limits bound.
 */
final class PdfSource implements DocumentPages.Source {

    static {
        FallbackFonts.install();
    }

    private final PDDocument document;
    private final DocumentLimits limits;
    private final BudgetedRenderer renderer;

    private PdfSource(PDDocument document, DocumentLimits limits) {
        this.document = document;
        this.limits = limits;
        this.renderer = new BudgetedRenderer(document, limits);
        // Images are drawn once per page in nearly every document; caching them would hold every page's scan.
        document.setResourceCache(new DefaultResourceCache() {
            @Override
            public void put(COSObject indirect, PDXObject xobject) {
                // not kept
            }
        });
    }

    static PdfSource open(byte[] bytes, DocumentLimits limits) throws DocumentException {
        PDDocument document;
        try {
            document = Loader.loadPDF(new RandomAccessReadBuffer(bytes), "", IOUtils.createMemoryOnlyStreamCache());
        } catch (InvalidPasswordException e) {
            throw new DocumentException("encrypted-document", "the PDF is encrypted and needs a password to open;"
                    + " send it decrypted", e);
        } catch (IOException | RuntimeException e) {
            throw new DocumentException("corrupt-document", "the PDF is damaged: " + message(e), e);
        }
        try {
            if (document.getNumberOfPages() < 1) {
                throw new DocumentException("corrupt-document", "the PDF has no pages (its page tree is empty or damaged)");
            }
        } catch (DocumentException e) {
            closeQuietly(document);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(document);
            throw new DocumentException("corrupt-document", "the PDF's page tree is damaged: " + message(e), e);
        }
        return new PdfSource(document, limits);
    }

    @Override
    public int pageCount() {
        return document.getNumberOfPages();
    }

    @Override
    public Page page(int number) {
        double scale;
        int[] size;
        try {
            scale = scale(number);
            size = pixels(number, scale);
        } catch (DocumentException e) {
            return Page.failed(number, 0, 0, 0, e);
        }
        double dpi = scale * 72;
        try {
            BufferedImage image = renderer.render(number - 1, (float) scale);
            return new Page(number, image.getWidth(), image.getHeight(), dpi, image, null);
        } catch (PageBudget.Exceeded e) {
            return Page.failed(number, size[0], size[1], dpi, e.toDocumentException(number));
        } catch (IOException | RuntimeException e) {
            return Page.failed(number, size[0], size[1], dpi,
                    new DocumentException("corrupt-page", "page " + number + " cannot be rendered: " + message(e), e));
        }
    }

    @Override
    public TextLayer.Text text(int number) throws DocumentException {
        double scale = scale(number);
        try {
            return TextLayer.read(document, number, scale, new PageBudget(limits.pageTimeout()));
        } catch (PageBudget.Exceeded e) {
            throw e.toDocumentException(number);
        } catch (IOException | RuntimeException e) {
            throw new DocumentException("corrupt-page", "the text of page " + number + " cannot be read: " + message(e), e);
        }
    }

    /**
     * The scale (pixels per PDF point) page {@code number} is rendered at: the limits' dpi / 72, or less
     * when that would pass the page pixel limit.
     *
     * @throws DocumentException {@code page-too-large} when even the lowest dpi passes it, {@code corrupt-page}
     *     when the page's boxes cannot be read
     */
    double scale(int number) throws DocumentException {
        double[] points = points(number);
        double area = points[0] * points[1];
        double scale = limits.dpi() / 72.0;
        if (area * scale * scale > limits.maxPagePixels()) {
            scale = Math.sqrt(limits.maxPagePixels() / area);
            if (scale * 72 < limits.minDpi()) {
                throw new DocumentException("page-too-large", String.format(java.util.Locale.ROOT,
                        "page %d is %.0f x %.0f points (%.1f x %.1f inches): at the lowest resolution allowed, %d dpi, it"
                        + " would be more than %d pixels", number, points[0], points[1], points[0] / 72, points[1] / 72,
                        limits.minDpi(), limits.maxPagePixels()));
            }
        }
        return scale;
    }

    /** The page's shown width and height in points: its crop box, times its user unit, turned by its rotation. */
    private double[] points(int number) throws DocumentException {
        try {
            PDPage page = document.getPage(number - 1);
            PDRectangle box = page.getCropBox();
            double unit = page.getUserUnit();
            double w = Math.abs(box.getWidth()) * unit;
            double h = Math.abs(box.getHeight()) * unit;
            if (!(w >= 1 && h >= 1) || Double.isInfinite(w * h)) {
                throw new DocumentException("corrupt-page", "page " + number + " has no area (" + w + " x " + h + " points)");
            }
            boolean turned = page.getRotation() % 180 != 0;
            return turned ? new double[] {h, w} : new double[] {w, h};
        } catch (RuntimeException e) {
            throw new DocumentException("corrupt-page", "page " + number + " cannot be read: " + message(e), e);
        }
    }

    /** Width and height in pixels at {@code scale}, as PDFBox sizes its image. */
    private int[] pixels(int number, double scale) throws DocumentException {
        double[] points = points(number);
        return new int[] {(int) Math.max(Math.floor(points[0] * scale), 1), (int) Math.max(Math.floor(points[1] * scale), 1)};
    }

    @Override
    public void close() {
        closeQuietly(document);
    }

    private static void closeQuietly(PDDocument document) {
        try {
            document.close();
        } catch (IOException e) {
            // bytes in memory: nothing left open
        }
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** PDFBox's renderer with a time budget per page and a pixel limit on the images a page draws. */
    private static final class BudgetedRenderer extends PDFRenderer {
        private final DocumentLimits limits;
        private PageBudget budget;

        BudgetedRenderer(PDDocument document, DocumentLimits limits) {
            super(document);
            this.limits = limits;
            // Large images are read at the resolution they are drawn at, not at their own.
            setSubsamplingAllowed(true);
        }

        BufferedImage render(int index, float scale) throws IOException {
            budget = new PageBudget(limits.pageTimeout());
            return renderImage(index, scale, ImageType.RGB, RenderDestination.EXPORT);
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            PageBudget pageBudget = budget;
            long maxImagePixels = limits.maxImagePixels();
            return new PageDrawer(parameters) {
                @Override
                protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
                    pageBudget.check();
                    super.processOperator(operator, operands);
                }

                @Override
                public void drawImage(PDImage image) throws IOException {
                    long pixels = (long) image.getWidth() * image.getHeight();
                    if (pixels > maxImagePixels) {
                        throw new PageBudget.Exceeded("too-many-pixels", "the page draws an image of " + image.getWidth()
                                + "x" + image.getHeight() + " = " + pixels + " pixels, more than the limit of " + maxImagePixels);
                    }
                    super.drawImage(image);
                }
            };
        }
    }
}
