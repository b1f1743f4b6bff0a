package io.imageworker.documents;

/** The document formats taken, recognised by their first bytes (never by a name or a declared type). */
public enum DocumentFormat {
    /** {@code %PDF-} within the first 1,024 bytes (viewers accept junk before it, and so does PDFBox). */
    PDF("application/pdf"),
    /** {@code II*\0} (little-endian) or {@code MM\0*} (big-endian); BigTIFF's 43 also. */
    TIFF("image/tiff"),
    /** {@code GIF87a} or {@code GIF89a}. */
    GIF("image/gif");

    private final String mimeType;

    DocumentFormat(String mimeType) {
        this.mimeType = mimeType;
    }

    /** The MIME type Cloud Vision's {@code inputConfig.mimeType} names this format by. */
    public String mimeType() {
        return mimeType;
    }

    /** The format of {@code bytes}, or null when they are none of these. */
    public static DocumentFormat sniff(byte[] b) {
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9')
                && b[5] == 'a') {
            return GIF;
        }
        if (b.length >= 4 && (b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0
                || b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))) {
            return TIFF;
        }
        int end = Math.min(b.length - 5, 1024);
        for (int i = 0; i < end; i++) {
            if (b[i] == '%' && b[i + 1] == 'P' && b[i + 2] == 'D' && b[i + 3] == 'F' && b[i + 4] == '-') {
                return PDF;
            }
        }
        return null;
    }

    /**
     * Whether a TIFF or GIF holds exactly one page, read from the frame headers alone, without an image
     * reader (so that a one-page file is parsed once, by the image decoder): a TIFF whose first directory
     * links to no next one, a GIF with one image descriptor before its trailer (or its end). False for a
     * PDF, for more than one page, for a one-page TIFF whose pixels are not square ({@link
     * io.imageworker.imaging.TiffPages}: a standard-resolution fax page, read as a document's page so that it
     * is shown with square pixels), and when the headers cannot be walked (a damaged file is then opened as
     * a document, which says what is wrong).
     */
    public static boolean singlePage(byte[] b) {
        DocumentFormat format = sniff(b);
        if (format == TIFF) {
            // a page whose pixels are not square (a standard-resolution fax) is read as a document's page, which
            // is shown with square pixels; the image decoder would give it squashed to half its height
            return tiffSinglePage(b) && squarePixels(b);
        }
        return format == GIF && gifSinglePage(b);
    }

    private static boolean squarePixels(byte[] tiff) {
        io.imageworker.imaging.TiffPages.Page[] pages = io.imageworker.imaging.TiffPages.read(tiff);
        return pages.length == 0 || pages[0].rowScale() == 1;
    }

    private static boolean tiffSinglePage(byte[] b) {
        boolean little = b[0] == 'I';
        boolean big = (little ? b[2] : b[3]) == 43; // BigTIFF: 8-byte offsets, 20-byte entries
        long first = big ? unsigned(b, 8, 8, little) : unsigned(b, 4, 4, little);
        if (first < 8 || first > b.length) {
            return false;
        }
        int at = (int) first;
        long entries = big ? unsigned(b, at, 8, little) : unsigned(b, at, 2, little);
        long next = entries < 0 ? -1 : big ? unsigned(b, at + 8 + 20 * entries, 8, little) : unsigned(b, at + 2 + 12 * entries, 4, little);
        return next == 0;
    }

    /** The unsigned {@code size}-byte integer at {@code at}, or -1 past the end (or too large for a long). */
    private static long unsigned(byte[] b, long at, int size, boolean little) {
        if (at < 0 || at + size > b.length) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            int shift = 8 * (little ? i : size - 1 - i);
            v |= (b[(int) at + i] & 0xFFL) << shift;
        }
        return v;
    }

    private static boolean gifSinglePage(byte[] b) {
        if (b.length < 13) {
            return false;
        }
        int at = 13 + ((b[10] & 0x80) != 0 ? 3 << ((b[10] & 7) + 1) : 0); // header, screen, global colours
        int images = 0;
        while (at < b.length) {
            int block = b[at] & 0xFF;
            if (block == 0x3B) { // trailer
                break;
            } else if (block == 0x21) { // extension: introducer, label, sub-blocks
                at = skipSubBlocks(b, at + 2);
            } else if (block == 0x2C) { // image: descriptor, local colours, LZW code size, sub-blocks
                if (++images > 1 || at + 10 > b.length) {
                    return false;
                }
                int packed = b[at + 9] & 0xFF;
                at = skipSubBlocks(b, at + 10 + ((packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0) + 1);
            } else {
                return false;
            }
        }
        return images == 1;
    }

    private static int skipSubBlocks(byte[] b, int at) {
        while (at < b.length && b[at] != 0) {
            at += (b[at] & 0xFF) + 1;
        }
        return at + 1;
    }
}
