package io.imageworker.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository as a whole (docs, schemas, the chart, deploy scripts, the other modules),
 * found from whichever module's folder a test runs in: Maven runs each module's tests in that module's
 * folder, so a bare relative path would name a different file in {@code worker/} than in {@code tools/}.
 */
public final class Repo {

    private static Path root;

    private Repo() {}

    /**
     * The repository's root: the nearest folder at or above the working directory that holds
     * {@code mvnw} and {@code schemas/}.
     *
     * @throws IllegalStateException when the tests do not run inside a checkout
     */
    public static synchronized Path root() {
        if (root == null) {
            Path p = Path.of("").toAbsolutePath();
            while (p != null && !(Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("schemas")))) {
                p = p.getParent();
            }
            if (p == null) {
                throw new IllegalStateException("no repository root (mvnw and schemas/) above " + Path.of("").toAbsolutePath());
            }
            root = p;
        }
        return root;
    }

    /** {@code first} (and {@code more}) resolved against {@link #root()}, as {@link Path#of(String, String...)} would. */
    public static Path path(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }
}
