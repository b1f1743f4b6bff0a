package io.imageworker.config;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference (docs/configuration.md) lists exactly the properties of {@link WorkerConfig}, with
 * their real defaults, so the documentation cannot drift from the code.
 */
class ConfigReferenceTest {

    static final Pattern ROW = Pattern.compile("^\\| `(image-worker\\.[a-z0-9.*-]+)` \\| (`[^`]*`|-) \\|", Pattern.MULTILINE);

    /** Property name to default ("-" when none), from the mapping interface. */
    static Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        walk(WorkerConfig.class, "image-worker", out);
        return out;
    }

    static void walk(Class<?> group, String prefix, Map<String, String> out) {
        Method[] methods = group.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.isDefault() || m.isSynthetic() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (type.isInterface() && isGroup(type) && !Map.class.isAssignableFrom(type)
                    && !List.class.isAssignableFrom(type)) {
                walk(type, key, out);
            } else if (Map.class.isAssignableFrom(type)) {
                Type valueType = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
                if (valueType instanceof Class<?> c && c.isInterface() && isGroup(c)) {
                    walk(c, key + ".*", out);
                } else {
                    out.put(key + ".*", "-");
                }
            } else {
                WithDefault d = m.getAnnotation(WithDefault.class);
                out.put(key, d == null ? "-" : "`" + d.value() + "`");
            }
        }
    }

    /** A settings group: an interface of the config package ({@code LimitsConfig}, {@code RoutingConfig.Pool}). */
    static boolean isGroup(Class<?> type) {
        return type.getPackageName().equals(WorkerConfig.class.getPackageName());
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    @Test
    void readmeListsEveryPropertyWithItsDefault() throws Exception {
        String readme = Files.readString(Repo.path("docs/configuration.md"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(readme);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        Map<String, String> actual = properties();
        List<String> missing = new ArrayList<>(actual.keySet());
        missing.removeAll(documented.keySet());
        List<String> stale = new ArrayList<>(documented.keySet());
        stale.removeAll(actual.keySet());
        assertThat(missing).as("properties missing from the reference in docs/configuration.md").isEmpty();
        assertThat(stale).as("docs/configuration.md rows for properties that do not exist").isEmpty();
        actual.forEach((k, v) -> assertThat(documented.get(k)).as("default of " + k).isEqualTo(v));
    }

    @Test
    void printReference() {
        properties().forEach((k, v) -> System.out.println("| `" + k + "` | " + v + " |"));
        assertThat(Optional.of(properties())).isNotEmpty();
    }
}
