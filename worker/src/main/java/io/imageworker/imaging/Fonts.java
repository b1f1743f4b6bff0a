package io.imageworker.imaging;

import com.sun.jna.NativeLibrary;
import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The font the worker draws text with (the faces overlay's labels), shipped in the jar, and the
 * set-up that lets Java draw text on a machine without any font package.
 *
 * <p>Java's font manager on Linux does not start when fontconfig finds no font at all
 * ({@code InternalError}, "Fontconfig head is null"), not even to load a font from a file with
 * {@link Font#createFont}: a container image or a tarball JDK without fonts failed every faces item
 * that had a face. {@link #configure()}, called first thing in {@code Main}, copies the shipped
 * DejaVu Sans Bold to a private folder in {@code java.io.tmpdir} and points fontconfig at it: a
 * {@code fonts.conf} there includes the system's configuration when there is one and adds the folder, and
 * {@code FONTCONFIG_FILE} names it in the C environment, where libfontconfig reads it when AWT first
 * uses a font. Where the JDK cannot load libfontconfig at all, the JDK reads a logical-font file
 * ({@code sun.awt.fontconfig}) instead, so one is written that maps every logical font to that file.
 * Set by the user, {@code FONTCONFIG_FILE}, {@code FONTCONFIG_PATH} or {@code sun.awt.fontconfig}
 * are left as they are.
 */
public final class Fonts {

    /** The shipped font: DejaVu Sans Bold 2.37 (resources {@code io/imageworker/imaging/fonts}, see SOURCES.md there). */
    public static final String LABEL_FONT = "DejaVuSans-Bold.ttf";
    /** Its classpath resource, relative to this class. */
    static final String RESOURCE = "fonts/" + LABEL_FONT;
    /** The system's fontconfig configuration, included by the one written here when present. */
    public static final Path SYSTEM_CONF = Path.of("/etc/fonts/fonts.conf");
    /** The names the JDK loads libfontconfig by ({@code sun/font/fontpath.c}), in its order. */
    static final List<String> FONTCONFIG_LIBRARIES = List.of("libfontconfig.so.1", "libfontconfig.so");
    /** The JDK's system property naming a logical-font configuration file (used instead of fontconfig). */
    static final String JDK_FONTCONFIG_PROPERTY = "sun.awt.fontconfig";
    /** Logical font names and styles a JDK logical-font file defines. */
    private static final List<String> LOGICAL = List.of("serif", "sansserif", "monospaced", "dialog", "dialoginput");
    private static final List<String> STYLES = List.of("plain", "bold", "italic", "bolditalic");
    /** The font folder's permissions: this user only. */
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private static volatile Path extracted;
    private static volatile List<String> configured = List.of();
    private static boolean ran;
    private static volatile Font labelFont;

    private Fonts() {}

    /** {@link #configure(Path)} with the system's configuration at {@link #SYSTEM_CONF}. */
    public static List<String> configure() {
        return configure(SYSTEM_CONF);
    }

    /**
     * Makes the shipped font visible to Java's font manager, as the class comment says. Call before
     * anything draws text and before the application starts threads of its own ({@code setenv} is not
     * safe beside threads reading the environment). Never throws: what could not be done is in the
     * returned list, and the faces overlay then draws its boxes without labels.
     *
     * @param systemConf the system's fontconfig configuration to include (ignored when missing); a
     *     test passes an empty one to see the process as a machine without fonts would
     * @return what was set or found, for the start-up log and the overlay's warning
     */
    public static synchronized List<String> configure(Path systemConf) {
        if (ran) {
            return configured;
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            ran = true;
            configured = List.of("not Linux: the JDK finds fonts without fontconfig");
            return configured;
        }
        boolean fontconfig;
        try {
            fontconfig = fontconfigLoads();
        } catch (LinkageError | RuntimeException noJna) {
            ran = true;
            configured = List.of("fonts not configured: " + noJna);
            return configured;
        }
        return configure(systemConf, fontconfig);
    }

    /**
     * {@link #configure(Path)} with the branch chosen by the caller, so that a test can check the
     * logical-font file on a machine that has libfontconfig.
     *
     * @param systemConf the system's fontconfig configuration to include
     * @param fontconfig whether the JDK loads libfontconfig ({@link #configure(Path)} asks the dynamic
     *     loader): true sets {@code FONTCONFIG_FILE}, false {@code sun.awt.fontconfig}
     * @return what was set or found
     */
    public static synchronized List<String> configure(Path systemConf, boolean fontconfig) {
        if (ran) {
            return configured; // once per process: the font manager reads the set-up once
        }
        ran = true;
        List<String> applied = new ArrayList<>();
        try {
            Map<String, String> env = System.getenv();
            if (fontconfig && env.get("FONTCONFIG_FILE") == null && env.get("FONTCONFIG_PATH") == null) {
                Path dir = extract();
                Path conf = dir.resolve("fonts.conf");
                write(conf, fontsConf(dir, systemConf));
                int rc = NativeLibrary.getInstance("c").getFunction("setenv")
                        .invokeInt(new Object[] {"FONTCONFIG_FILE", conf.toString(), 0});
                applied.add(rc == 0 ? "FONTCONFIG_FILE=" + conf : "setenv FONTCONFIG_FILE failed (" + rc + ")");
            } else if (fontconfig) {
                applied.add("fontconfig as the environment sets it (FONTCONFIG_FILE or FONTCONFIG_PATH)");
            } else if (System.getProperty(JDK_FONTCONFIG_PROPERTY) == null) {
                Path dir = extract();
                Path props = dir.resolve("fontconfig.properties");
                write(props, logicalFonts(dir.resolve(LABEL_FONT)));
                System.setProperty(JDK_FONTCONFIG_PROPERTY, props.toString());
                applied.add("no libfontconfig: " + JDK_FONTCONFIG_PROPERTY + "=" + props);
            } else {
                applied.add("no libfontconfig; " + JDK_FONTCONFIG_PROPERTY + " as set: " + System.getProperty(JDK_FONTCONFIG_PROPERTY));
            }
        } catch (IOException | LinkageError | RuntimeException e) {
            applied.add("fonts not configured: " + e);
        }
        configured = List.copyOf(applied);
        return configured;
    }

    /** What {@link #configure} did or found in this process; empty before it ran. */
    public static List<String> configured() {
        return configured;
    }

    /**
     * The shipped font at size 1, created once ({@link Font#deriveFont(float)} it to the size wanted). Creating it
     * starts Java's font manager, which throws {@link InternalError} on a machine where it finds no
     * font and {@link #configure} did not run or could not help.
     *
     * @throws IOException when the font cannot be read
     * @throws FontFormatException when the file is not a font (a broken build)
     */
    public static Font labelFont() throws IOException, FontFormatException {
        Font f = labelFont;
        if (f == null) {
            synchronized (Fonts.class) {
                f = labelFont;
                if (f == null) {
                    Path file = extracted;
                    if (file != null) {
                        f = Font.createFont(Font.TRUETYPE_FONT, file.resolve(LABEL_FONT).toFile());
                    } else {
                        try (InputStream in = resource()) {
                            f = Font.createFont(Font.TRUETYPE_FONT, in);
                        }
                    }
                    labelFont = f;
                }
            }
        }
        return f;
    }

    /** Whether the JDK will find libfontconfig (the names it loads, through the same dynamic loader). */
    static boolean fontconfigLoads() {
        for (String name : FONTCONFIG_LIBRARIES) {
            try {
                NativeLibrary.getInstance(name);
                return true;
            } catch (UnsatisfiedLinkError absent) {
                // try the next name
            }
        }
        return false;
    }

    /**
     * The folder holding the shipped font, once per process: {@code image-worker-fonts-<uid>-<sha256 of
     * the font, 12 digits>} in {@code java.io.tmpdir}, made readable by this user only, and kept: the
     * next start (a restarted container keeps its {@code /tmp} volume) finds it and only checks the font,
     * fontconfig reuses its cache there, and a killed worker leaves nothing new behind. Where that name
     * is taken by something else (not a folder, another owner, other permissions) a new temporary
     * folder is used instead and deleted when the JVM exits.
     */
    static synchronized Path extract() throws IOException {
        if (extracted != null) {
            return extracted;
        }
        byte[] font;
        try (InputStream in = resource()) {
            font = in.readAllBytes();
        }
        String sha = sha256(font);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = tmp.resolve("image-worker-fonts-" + uid() + "-" + sha.substring(0, 12));
        if (!privateFolder(dir)) {
            dir = Files.createTempDirectory(tmp, "image-worker-fonts");
            Path fresh = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(fresh), "image-worker-fonts-cleanup"));
        }
        Path file = dir.resolve(LABEL_FONT);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !sha256(Files.readAllBytes(file)).equals(sha)) {
            replace(file, font);
        }
        extracted = dir;
        return dir;
    }

    /** Creates {@code dir} (mode 700) unless it exists; true when it is a folder of this user's that only this user can use. */
    private static boolean privateFolder(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException exists) {
            // checked below
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isDirectory() && a.permissions().equals(PRIVATE)
                && ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() == uid();
    }

    /** This process's user id (libc {@code getuid}). */
    private static long uid() {
        return Integer.toUnsignedLong(NativeLibrary.getInstance("c").getFunction("getuid").invokeInt(new Object[0]));
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code file} whole or not at all (a temporary file beside it, then a rename): another worker may be reading it. */
    private static void replace(Path file, byte[] data) throws IOException {
        Path part = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
        try {
            Files.write(part, data);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Writes {@code text} to {@code file} unless it holds exactly that. */
    private static void write(Path file, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !Arrays.equals(Files.readAllBytes(file), data)) {
            replace(file, data);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder: what is left, the system's clean-up removes
        }
    }

    private static InputStream resource() throws IOException {
        InputStream in = Fonts.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is not on the classpath beside " + Fonts.class.getName() + " (a broken build)");
        }
        return in;
    }

    /**
     * A fontconfig configuration: a cache folder of its own first (fontconfig writes the font folder's
     * cache to the first writable cache folder, and where none is, as for a container's user whose home
     * is read-only, prints "Fontconfig error: No writable cache directories" at every start), the
     * system's configuration when present, the font's folder.
     */
    static String fontsConf(Path dir, Path systemConf) {
        return "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
                + "<!-- written by image-worker (io.imageworker.imaging.Fonts): the system's fonts and the worker's -->\n"
                + "<fontconfig>\n"
                + "  <cachedir>" + xml(dir.resolve("cache").toString()) + "</cachedir>\n"
                + "  <include ignore_missing=\"yes\">" + xml(systemConf.toAbsolutePath().toString()) + "</include>\n"
                + "  <dir>" + xml(dir.toString()) + "</dir>\n"
                + "</fontconfig>\n";
    }

    /** A JDK logical-font file mapping every logical font and style to {@code font}. */
    static String logicalFonts(Path font) {
        StringBuilder s = new StringBuilder("# written by image-worker (io.imageworker.imaging.Fonts): no libfontconfig\n");
        s.append("version=1\n");
        for (String name : LOGICAL) {
            for (String style : STYLES) {
                s.append(name).append('.').append(style).append(".latin-1=DejaVu Sans Bold\n");
            }
        }
        s.append("sequence.allfonts=latin-1\n");
        s.append("filename.DejaVu_Sans_Bold=").append(properties(font.toString())).append('\n');
        s.append("awtfontpath.latin-1=").append(properties(font.getParent().toString())).append('\n');
        return s.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String properties(String s) {
        return s.replace("\\", "\\\\");
    }
}
