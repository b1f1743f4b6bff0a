package io.imageworker.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Models in a folder of {@code <name>/<version>/model.json}. */
final class FolderSource implements ModelSource {

    private final Path root;

    FolderSource(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model repository " + root + " is not a folder");
        }
        this.root = root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public List<Version> versions() throws IOException {
        List<Version> out = new ArrayList<>();
        try (Stream<Path> names = Files.list(root)) {
            for (Path n : names.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> versions = Files.list(n)) {
                    versions.filter(v -> Files.isRegularFile(v.resolve(ModelLoader.CARD_FILE))).sorted()
                            .forEach(v -> out.add(new Version(n.getFileName().toString(), v.getFileName().toString())));
                }
            }
        }
        return out;
    }

    @Override
    public Path fetch(String name, String version) {
        return root.resolve(name).resolve(version);
    }
}
