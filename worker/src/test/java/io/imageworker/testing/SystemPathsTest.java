package io.imageworker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code ./mvnw verify} runnable on a fresh machine (only a JDK and Maven Central): no test
 * source but {@link SystemDeps} may name a path on this machine's system folders in a string
 * literal. A test that needs a font, a program or a data file from the system asks SystemDeps,
 * which ships it or skips the test naming the Debian package to install.
 *
 * <p>Scanned: every {@code .java} file under src/test/java; flagged: a string literal or text block (comments are
 * not read) that starts with one of {@link #SYSTEM_PREFIXES}. Paths that are values, not files read
 * here, are listed in {@link #ALLOWED} with the reason; {@code /opt/...} and {@code /tmp/...} are not
 * scanned.
 */
class SystemPathsTest {

    /** Folders of the machine's system (built here, so that this file has no such literal itself). */
    static final List<String> SYSTEM_PREFIXES = Stream.of("usr", "bin", "etc", "lib").map(d -> "/" + d + "/").toList();
    /** Literal prefixes that look like system paths but are not read from this machine. */
    static final List<String> ALLOWED = List.of(
            // the worker's configuration folder inside its container, asserted in the Helm chart's rendered YAML
            "/" + "etc/image-worker/");
    /** The one file allowed to name system paths. */
    static final String HELPER = "SystemDeps.java";

    @Test
    void onlySystemDepsNamesSystemPaths() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String module : List.of("worker", "tools")) { // every module's tests
            Path root = Repo.path(module, "src/test/java");
            try (Stream<Path> s = Files.walk(root)) {
                List<Path> here = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
                assertThat(here).as("test sources under " + root).hasSizeGreaterThan(10);
                files.addAll(here);
            }
        }
        for (Path f : files) {
            if (f.getFileName().toString().equals(HELPER)) {
                continue;
            }
            for (Literal l : literals(Files.readString(f))) {
                if (systemPath(l.text())) {
                    found.add(f + ":" + l.line() + ": \"" + l.text() + "\"");
                }
            }
        }
        assertThat(found).as("string literals naming a system path outside " + HELPER
                + " (get the file or program through SystemDeps, which ships it or skips the test naming the package)")
                .isEmpty();
    }

    @Test
    void theScannerFindsLiteralsAndNotComments() {
        String usr = "/" + "usr/";
        String q = "\"";
        String source = "class A {\n"
                + "  // " + q + usr + "in/a/comment" + q + "\n"
                + "  /* " + q + usr + "block" + q + " */\n"
                + "  String a = " + q + "x\\" + q + usr + q + ";\n"
                + "  char c = '" + q + "';\n"
                + "  String b = " + q + usr + "share/fonts" + q + ";\n"
                + "  String t = " + q + q + q + "\n" + usr + "text/block\n" + q + q + q + ";\n"
                + "}\n";
        List<Literal> lits = literals(source);
        assertThat(lits).extracting(Literal::text).containsExactly("x\\" + q + usr, usr + "share/fonts", usr + "text/block\n");
        assertThat(lits.get(1).line()).isEqualTo(6);
        assertThat(lits.stream().filter(l -> systemPath(l.text()))).extracting(Literal::line).containsExactly(6, 8);
        assertThat(systemPath("/" + "etc/image-worker/kafka-tls")).isFalse();
        assertThat(systemPath("/" + "opt/nvidia")).isFalse();
    }

    static boolean systemPath(String literal) {
        return SYSTEM_PREFIXES.stream().anyMatch(literal::startsWith) && ALLOWED.stream().noneMatch(literal::startsWith);
    }

    /**
     * A string literal's text as written (escapes not decoded) and the line it starts on; for a text
     * block, its content from the line after the opening quotes, leading indentation stripped.
     */
    record Literal(String text, int line) {}

    /** The string literals and text blocks of a Java source, skipping comments and char literals. */
    static List<Literal> literals(String src) {
        List<Literal> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (src.startsWith("//", i)) {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(src, i, end);
                i = end;
            } else if (src.startsWith("\"\"\"", i)) {
                int start = i + 3;
                int j = start;
                while (j < n && !src.startsWith("\"\"\"", j)) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j, n);
                // a text block's content starts on the line after its opening quotes, indented
                String body = src.substring(start, j);
                out.add(new Literal(body.substring(body.indexOf('\n') + 1).stripLeading(), line + 1));
                line += count(src, i, j);
                i = Math.min(j + 3, n);
            } else if (c == '"' || c == '\'') {
                int start = i + 1;
                int j = start;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j, n);
                if (c == '"') {
                    out.add(new Literal(src.substring(start, j), line));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int k = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '\n') {
                k++;
            }
        }
        return k;
    }
}
