package io.imageworker.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place where tests get what they need from outside the repository, so that
 * {@code ./mvnw verify} passes on a machine with only a JDK 17+ and Maven Central (issue 24).
 *
 * <ul>
 *   <li>Fonts a test draws with ship in {@code src/test/resources/fonts} (DejaVu, permissive licence,
 *       see SOURCES.md there): {@link #font(String)} returns one and fails loudly when it is missing,
 *       since that is a broken checkout, not a machine without something. The test JVMs' fontconfig
 *       also lists that folder ({@code fonts.conf} there, set as {@code FONTCONFIG_FILE} in pom.xml),
 *       because Java's font manager does not start on a machine where fontconfig finds no font.</li>
 *   <li>Optional system things (fonts that are not shipped because their licence is copyleft or OFL,
 *       Tesseract, Python with OpenCV's Haar cascade, headless Chromium) are looked up here; when one
 *       is absent the calling test is <em>skipped</em> (a JUnit assumption) with a reason that names
 *       the Debian package to install. {@code .ci/run} installs the programs where it can.</li>
 * </ul>
 *
 * <p>This is the only test source allowed to name a system path ({@code /usr/...} and the like);
 * {@link SystemPathsTest} fails the build when another test does.
 */
public final class SystemDeps {

    /** Classpath folder of the shipped fonts (src/test/resources/fonts). */
    static final String SHIPPED_FONTS = "/fonts/";
    /** Where Debian's {@code fonts-*} packages install TrueType files, one subfolder per family. */
    static final Path SYSTEM_FONTS = Path.of("/usr/share/fonts/truetype");
    /** The Debian package that installs each subfolder of {@link #SYSTEM_FONTS}. */
    static final Map<String, String> FONT_PACKAGES = Map.of(
            "dejavu", "fonts-dejavu-core fonts-dejavu-extra",
            "liberation2", "fonts-liberation2",
            "freefont", "fonts-freefont-ttf",
            "noto", "fonts-noto-core");
    /** Where Debian's {@code chromium} (and other distributions' builds) put the browser; {@code $CHROMIUM} comes first. */
    static final List<String> CHROMIUM_PATHS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");

    private SystemDeps() {}

    /**
     * A font shipped with the tests.
     *
     * @param file a file name in src/test/resources/fonts, e.g. {@code DejaVuSans.ttf}
     * @return its path (the copy on the test classpath)
     * @throws IllegalStateException when the file is not there: it ships with the repository, so this is
     *     a broken checkout or a typo, never a reason to skip
     */
    public static Path font(String file) {
        URL url = SystemDeps.class.getResource(SHIPPED_FONTS + file);
        if (url == null) {
            throw new IllegalStateException("font " + file + " is not in src/test/resources/fonts (the fonts there ship"
                    + " with the repository; see SOURCES.md there for the ones the tests use)");
        }
        if (!"file".equals(url.getProtocol())) {
            // the tools' tests see the worker's test resources inside its test-jar: the checkout's copy instead
            return Repo.path("worker/src/test/resources" + SHIPPED_FONTS + file);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("font " + file + " is on the classpath but not as a file: " + url, e);
        }
    }

    /**
     * The system's TrueType folder, for tests that need fonts the repository does not ship (their
     * licences are copyleft or OFL); the calling test is skipped unless every file is there.
     *
     * @param files paths relative to the folder, e.g. {@code liberation2/LiberationSans-Regular.ttf}
     * @return the folder ({@code /usr/share/fonts/truetype}) the files resolve against
     */
    public static Path systemFontFolder(Collection<String> files) {
        List<String> missing = files.stream().filter(f -> findSystemFont(f).isEmpty()).toList();
        Assumptions.assumeTrue(missing.isEmpty(), () -> missingFonts(missing) + ": not run");
        return SYSTEM_FONTS;
    }

    /**
     * A system font, for the generators a developer runs by hand (their {@code main}), where a
     * missing font is an error rather than a skip.
     *
     * @param file a path relative to the system's TrueType folder
     * @return the font's path
     * @throws IllegalStateException naming the Debian package when the font is not installed
     */
    public static Path requireSystemFont(String file) {
        return findSystemFont(file).orElseThrow(() -> new IllegalStateException(missingFonts(List.of(file))));
    }

    /**
     * A system font if it is installed.
     *
     * @param file a path relative to the system's TrueType folder
     * @return its path, or empty
     */
    public static Optional<Path> findSystemFont(String file) {
        Path p = SYSTEM_FONTS.resolve(file);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * A data file of a Debian package, installed or unpacked under {@code target/<folder>/} by
     * {@code apt-get download <package> && dpkg -x <package>_*.deb target/<folder>} (for packages
     * whose licence keeps their files out of the repository).
     *
     * @param file the file's path as the package installs it, relative to {@code /usr/share}
     * @param unpacked the folder under {@code target/} where the package may have been unpacked
     * @return the installed file, else the unpacked one, else empty
     */
    public static Optional<Path> findPackageFile(String file, String unpacked) {
        for (Path p : List.of(Path.of("/usr/share").resolve(file), Repo.path("target", unpacked, "usr", "share").resolve(file))) {
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** "fonts not installed: a, b (apt-get install pkg ...)". */
    static String missingFonts(Collection<String> files) {
        Set<String> packages = new LinkedHashSet<>();
        for (String f : files) {
            int slash = f.indexOf('/');
            packages.add(FONT_PACKAGES.getOrDefault(slash < 0 ? "" : f.substring(0, slash), "the package that installs it"));
        }
        return "fonts not installed under " + SYSTEM_FONTS + ": " + String.join(", ", files)
                + " (apt-get install " + String.join(" ", packages) + ")";
    }

    /**
     * Headless Chromium, from {@code $CHROMIUM} or the usual paths; the calling test is skipped when
     * there is none.
     *
     * @return the browser's executable
     */
    public static Path chromium() {
        Optional<Path> browser = findChromium();
        Assumptions.assumeTrue(browser.isPresent(), "headless Chromium not installed (apt-get install chromium); .ci/run installs it");
        return browser.get();
    }

    /**
     * The browser, from {@code $CHROMIUM} or the usual paths, if there is one.
     *
     * @return its executable, or empty
     */
    public static Optional<Path> findChromium() {
        String env = System.getenv("CHROMIUM");
        List<String> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.addAll(CHROMIUM_PATHS);
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }
}
