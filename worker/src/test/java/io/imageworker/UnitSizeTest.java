package io.imageworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Units a reader can hold: no main class of any module over {@value #MAX_LINES} lines.
 */
class UnitSizeTest {

    static final int MAX_LINES = 400;

    @Test
    void noMainClassPassesTheLimit() throws IOException {
        Map<String, Integer> over = new TreeMap<>();
        // every module's main code (worker, tools, datasets), named relative to its source folder
        for (String module : List.of("datasets", "worker", "tools")) {
            Path sources = io.imageworker.testing.Repo.path(module, "src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    int lines;
                    try (Stream<String> l = Files.lines(f)) {
                        lines = (int) l.count();
                    }
                    if (lines > MAX_LINES) {
                        over.put(sources.relativize(f).toString().replace('\\', '/'), lines);
                    }
                }
            }
        }
        assertThat(over).as("classes over %d lines (split them by responsibility; issue 27 brought every one under)",
                MAX_LINES).isEmpty();
    }
}
