package io.imageworker.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Evaluations are found as tasks are: every implementation is registered and keyed by its own task. */
class EvaluationsTest {

    @Test
    void everyEvaluationOnTheClassesIsFoundUnderItsTask() throws Exception {
        Set<String> implemented = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.imageworker.training")) {
            if (c.isAssignableTo(ModelEvaluation.class) && !c.isInterface() && !c.getModifiers().contains(JavaModifier.ABSTRACT)) {
                implemented.add(((ModelEvaluation) c.reflect().getDeclaredConstructor().newInstance()).task());
            }
        }
        assertThat(implemented).as("evaluations on the classes").hasSizeGreaterThanOrEqualTo(5);
        assertThat(Evaluations.byTask().keySet()).as("found by ServiceLoader").isEqualTo(implemented);
        Evaluations.byTask().forEach((task, e) -> assertThat(Evaluations.forTask(task)).isSameAs(e));
    }

    @Test
    void onlyTheParityEvaluationMeasuresImportsAndNamesTheirLabels() {
        assertThat(Evaluations.forTask("safe-search").measuresImports()).isTrue();
        assertThat(Evaluations.forTask("safe-search").importLabels()).containsExactly("drawing", "hentai", "neutral", "porn", "sexy");
        assertThat(Evaluations.forTask("classify").measuresImports()).isFalse();
        assertThat(Evaluations.forTask("classify").importLabels()).isNull();
    }

    @Test
    void aTaskWithoutAnEvaluationIsNamedWithThoseThatHaveOne() {
        assertThat(Evaluations.find("properties")).isEmpty();
        assertThatThrownBy(() -> Evaluations.forTask("properties")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no evaluation for task 'properties'").hasMessageContaining("safe-search");
    }
}
