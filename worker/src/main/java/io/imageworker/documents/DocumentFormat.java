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
}
