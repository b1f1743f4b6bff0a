package io.imageworker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's documentation as the tests read it: {@code README.md} and the pages under
 * {@code docs/} (paths relative to the repository root, where Maven runs the tests), their
 * headings' anchors as GitHub makes them, and their links.
 */
public final class Docs {

    /** The README at the repository root. */
    public static final Path README = Repo.path("README.md");
    /** The folder of documentation pages. */
    public static final Path DIR = Repo.path("docs");

    /** A Markdown inline link or image: {@code [text](target)}; the text may span lines. */
    static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
    static final Pattern HEADING = Pattern.compile("^(#{1,6}) (.+?)\\s*#*\\s*$");
    static final Pattern FENCE = Pattern.compile("^\\s*```");

    private Docs() {}

    /** One link: the file it is in, its 1-based line, its target as written. */
    public record Link(Path file, int line, String target) {}

    /** Every {@code .md} file under {@code dir}, sorted by path. */
    public static List<Path> pages(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pages under {@code docs/}. */
    public static List<Path> pages() {
        return pages(DIR);
    }

    /** The README and every page under {@code docs/}, one after the other. */
    public static String all() {
        StringBuilder out = new StringBuilder(read(README));
        pages().forEach(p -> out.append('\n').append(read(p)));
        return out.toString();
    }

    /** A file's text (UTF-8). */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's text with the lines of fenced code blocks blanked (kept as empty lines, so numbers hold). */
    static List<String> prose(String text) {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : text.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                fence = !fence;
                out.add("");
            } else {
                out.add(fence ? "" : line);
            }
        }
        return out;
    }

    /**
     * GitHub's anchor for a heading's text: lower case, every character that is not a letter, a
     * digit, a space, {@code -} or {@code _} dropped (backticks, dots, colons, brackets ...), spaces
     * to {@code -}.
     */
    public static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    /** The anchors of a Markdown text's headings, in order; a repeated one gets {@code -1}, {@code -2} ... as on GitHub. */
    public static List<String> anchors(String text) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String line : prose(text)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String s = slug(m.group(2));
                int n = seen.merge(s, 1, Integer::sum) - 1;
                out.add(n == 0 ? s : s + "-" + n);
            }
        }
        return out;
    }

    /** The inline links of a Markdown file outside fenced code, with their lines. */
    public static List<Link> links(Path file) {
        List<String> lines = prose(read(file));
        String joined = String.join("\n", lines);
        List<Link> out = new ArrayList<>();
        Matcher m = LINK.matcher(joined);
        while (m.find()) {
            int line = (int) joined.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            out.add(new Link(file, line, m.group(2)));
        }
        return out;
    }

    /**
     * Why a link does not resolve, or null when it does: a relative path must name a file or folder
     * that exists (relative to the linking file), and an anchor must be a heading of the target
     * page (the linking file itself for {@code #anchor}). Links with a scheme (https:, mailto:) are
     * not followed.
     */
    public static String broken(Link link) {
        String t = link.target();
        if (t.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null;
        }
        int hash = t.indexOf('#');
        String path = hash < 0 ? t : t.substring(0, hash);
        String anchor = hash < 0 ? null : t.substring(hash + 1);
        Path dir = link.file().toAbsolutePath().getParent();
        Path target = path.isEmpty() ? link.file().toAbsolutePath() : dir.resolve(path).normalize();
        if (!Files.exists(target)) {
            return "no file " + target;
        }
        if (anchor != null) {
            if (!target.toString().endsWith(".md")) {
                return "an anchor into a file that is not Markdown";
            }
            if (!anchors(read(target)).contains(anchor)) {
                return "no heading with anchor #" + anchor + " in " + target.getFileName();
            }
        }
        return null;
    }
}
