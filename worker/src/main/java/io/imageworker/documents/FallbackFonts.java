package io.imageworker.documents;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * The font PDFBox draws a font that a PDF names but does not embed with (the standard 14 fonts, an
 * office document's Arial): always Liberation Sans, which PDFBox ships in its jar. PDFBox's own mapper
 * would, on first use, scan every font file of the machine (seconds, and a different result on every
 * machine) and write its list to {@code ~/.pdfbox.cache}, which a container with a read-only file
 * system refuses; this one reads nothing but its jar and renders the same everywhere. The glyph
 * shapes differ from the named font, the text and its positions do not (widths come from the PDF or
 * the standard fonts' metrics), which is what OCR and the text layer need.
 */
public final class FallbackFonts implements FontMapper {

    /** Liberation Sans Regular inside PDFBox's jar. */
    static final String RESOURCE = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private static final FallbackFonts INSTANCE = new FallbackFonts(load());

    private final TrueTypeFont font;

    private FallbackFonts(TrueTypeFont font) {
        this.font = font;
    }

    /**
     * Makes this PDFBox's font mapper (later calls do nothing). {@link DocumentPages} does it before its first
     * PDF; code that makes PDFs with PDFBox (the tools' document set) calls it before making a font.
     */
    public static synchronized void install() {
        if (FontMappers.instance() != INSTANCE) {
            FontMappers.set(INSTANCE);
        }
    }

    /** Whether PDFBox maps fonts with this class now. */
    public static boolean installed() {
        return FontMappers.instance() == INSTANCE;
    }

    private static TrueTypeFont load() {
        try (InputStream in = FontMapper.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("PDFBox's jar lacks " + RESOURCE);
            }
            return new TTFParser().parse(new RandomAccessReadBuffer(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor descriptor) {
        return new FontMapping<>(font, true);
    }

    @Override
    public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor descriptor) {
        return new FontMapping<>(font, true);
    }

    @Override
    public CIDFontMapping getCIDFont(String baseFont, PDFontDescriptor descriptor, PDCIDSystemInfo cidSystemInfo) {
        return new CIDFontMapping(null, font, true);
    }
}
