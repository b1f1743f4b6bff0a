package io.imageworker;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.testing.Docs;
import io.imageworker.testing.Docs.Link;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs a newcomer can walk (issue 27): a short README whose map names every page under
 * {@code docs/}, pages readable in one sitting, and no link or anchor that leads nowhere.
 */
class DocsTest {

    /** Most lines the README may have: what it is, the two commands, one job and its result, the map. */
    static final int README_MAX_LINES = 250;
    /** Most lines a page under docs/ may have. */
    static final int PAGE_MAX_LINES = 400;

    static long lines(Path file) {
        return Docs.read(file).lines().count();
    }

    /** The README, the pages, and the chart's README (which links into the pages). */
    static List<Path> markdown() {
        List<Path> all = new ArrayList<>();
        all.add(Docs.README);
        all.addAll(Docs.pages());
        all.add(Repo.path("helm/image-worker/README.md"));
        return all;
    }

    @Test
    void theReadmeIsShort() {
        assertThat(lines(Docs.README)).as("lines of README.md").isLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void everyPageIsReadableInOneSitting() {
        assertThat(Docs.pages()).as("pages under docs/").hasSizeGreaterThanOrEqualTo(10);
        for (Path page : Docs.pages()) {
            assertThat(lines(page)).as("lines of " + page).isLessThanOrEqualTo(PAGE_MAX_LINES);
        }
    }

    @Test
    void theReadmesMapLinksEveryPage() {
        String readme = Docs.read(Docs.README);
        int start = readme.indexOf("\n## Documentation\n");
        assertThat(start).as("README has a '## Documentation' map").isGreaterThanOrEqualTo(0);
        int end = readme.indexOf("\n## ", start + 1);
        Path map = Docs.README.toAbsolutePath();
        List<Path> linked = Docs.links(Docs.README).stream()
                .filter(l -> offset(readme, l.line()) > start && (end < 0 || offset(readme, l.line()) < end))
                .map(l -> map.getParent().resolve(l.target().replaceAll("#.*", "")).normalize())
                .toList();
        for (Path page : Docs.pages()) {
            assertThat(linked).as("the README's map links " + page).contains(page.toAbsolutePath().normalize());
        }
    }

    /** Character offset of the start of a 1-based line. */
    static int offset(String text, int line) {
        int at = 0;
        for (int i = 1; i < line; i++) {
            at = text.indexOf('\n', at) + 1;
        }
        return at;
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : markdown()) {
            for (Link link : Docs.links(file)) {
                checked++;
                String why = Docs.broken(link);
                if (why != null) {
                    broken.add(link.file() + ":" + link.line() + " (" + link.target() + "): " + why);
                }
            }
        }
        assertThat(checked).as("links checked").isGreaterThan(50);
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void anchorsAreGithubs() {
        assertThat(Docs.slug("annotate: several features per image, Cloud Vision style"))
                .isEqualTo("annotate-several-features-per-image-cloud-vision-style");
        assertThat(Docs.slug("Exactly-once results (`image-worker.delivery=exactly-once`)"))
                .isEqualTo("exactly-once-results-image-workerdeliveryexactly-once");
        assertThat(Docs.slug("Cloud Vision's asyncBatchAnnotate, as is")).isEqualTo("cloud-visions-asyncbatchannotate-as-is");
        assertThat(Docs.slug("Chosen vs fixed configurations (issue 16)")).isEqualTo("chosen-vs-fixed-configurations-issue-16");
        assertThat(Docs.anchors("# A\n```\n# not a heading\n```\n## A\n### B: c\n")).containsExactly("a", "a-1", "b-c");
    }

    @Test
    void theCheckerFindsABrokenLinkAndAMissingAnchor(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other\n\n## Known section\n");
        Path page = dir.resolve("page.md");
        Files.writeString(page, """
                # Page

                [fine](other.md#known-section), [fine too](#page), [web](https://example.com/x#y)
                [gone](missing.md) and [no such anchor](other.md#unknown-section)
                ```
                [in code](not-checked.md)
                ```
                [local anchor gone](#nowhere)
                """);
        List<String> why = Docs.links(page).stream().map(Docs::broken).filter(Objects::nonNull).toList();
        assertThat(Docs.links(page)).hasSize(6);
        assertThat(why).hasSize(3);
        assertThat(why.get(0)).startsWith("no file");
        assertThat(why.get(1)).contains("#unknown-section");
        assertThat(why.get(2)).contains("#nowhere");
        assertThat(Docs.links(page).get(5).line()).isEqualTo(8);
    }
}
