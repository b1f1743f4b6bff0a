package io.imageworker.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {

    @TempDir
    Path root;

    void version(String name, String version) throws Exception {
        ModelLoader.writeCard(root.resolve(name).resolve(version), ModelCard.builder(name, version, "classify", "djl-block")
                .architecture("softmax").architectureOptions(Map.of("classes", 10)).weights(name).labels(List.of())
                .metrics(List.of()).recipe(Map.of()).data(Map.of()).build());
    }

    @Test
    void resolvesTheHighestVersionOrTheOneAskedFor() throws Exception {
        version("digits", "1");
        version("digits", "2");
        version("digits", "10");
        version("other", "a");
        ModelRepository repo = ModelRepository.open(root.toString(), root.resolve("cache"));
        assertThat(repo.names()).containsExactly("digits", "other");
        assertThat(repo.versions("digits")).containsExactly("1", "2", "10");
        assertThat(repo.resolve("digits").card().version()).isEqualTo("10");
        assertThat(repo.resolve("digits:2").dir()).isEqualTo(root.resolve("digits/2"));
    }

    @Test
    void unknownModelsAndBadReferencesAreNamed() throws Exception {
        version("digits", "1");
        ModelRepository repo = ModelRepository.open(root.toString(), root.resolve("cache"));
        assertThatThrownBy(() -> repo.resolve("nope")).isInstanceOf(UnknownModelException.class).hasMessageContaining("digits");
        assertThatThrownBy(() -> repo.resolve("digits:7")).isInstanceOf(UnknownModelException.class).hasMessageContaining("[1]");
        assertThatThrownBy(() -> repo.resolve("../etc")).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> repo.resolve("digits:..")).isInstanceOf(UnknownModelException.class);
    }

    @Test
    void builtInModelsUnpackOnceIntoAFolderNamedByTheirChecksums() throws Exception {
        ModelRepository repo = ModelRepository.open("classpath", root);
        String name = repo.names().get(0);
        Path first = repo.resolve(name).dir();
        assertThat(Files.exists(first.resolve(ModelLoader.CARD_FILE))).isTrue();
        assertThat(first.startsWith(root)).isTrue();
        assertThat(repo.resolve(name).dir()).isEqualTo(first);
    }

    @Test
    void aMissingFolderIsNotARepository() {
        assertThatThrownBy(() -> ModelRepository.open(root.resolve("missing").toString(), root)).hasMessageContaining("not a folder");
    }
}
