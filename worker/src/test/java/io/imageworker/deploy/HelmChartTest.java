package io.imageworker.deploy;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart {@code helm/image-worker}, linted and rendered offline by Helm as a native library
 * (helm-java), with the defaults and with the values files of {@code src/test/resources/helm/}.
 * Every rendered manifest is validated against its Kubernetes schema: built-in kinds by the
 * Kubernetes API models generated from the Kubernetes OpenAPI (client-java-api: unknown fields,
 * missing required fields and wrong JSON types are rejected), custom resources (KEDA ScaledObject,
 * ServiceMonitor, Strimzi KafkaTopic) by the project's own JSON Schemas of the fields the chart
 * uses, written from the documented APIs and kept in {@code src/test/resources/helm/crd-schemas/}
 * (unknown fields rejected).
 */
class HelmChartTest {

    static final Path CHART = Repo.path("helm/image-worker");
    static final Path VALUES = Path.of("src/test/resources/helm");
    static final Path TOPICS = Repo.path("deploy/kubernetes/topics.yaml");
    static final String RELEASE = "iw";
    static final String NAMESPACE = "workers";
    static final String FULLNAME = "iw-image-worker";
    /** The Kubernetes version of the API models below (client-java-api 24 is Kubernetes 1.32). */
    static final String KUBE_VERSION = "v1.32.0";

    /** Values files of the scenarios; "" is the defaults. */
    static final List<String> SCENARIOS = List.of(
            "", "gpu-on.yaml", "keda-on.yaml", "hpa.yaml", "existing-secrets.yaml", "network-policy-service-monitor.yaml",
            "notifications.yaml");

    /** Environment variables that carry credentials: only ever from a Secret, by secretKeyRef. */
    static final Set<String> SECRET_ENV = Set.of(
            "KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<Manifest>> RENDERED = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------------------------------------
    // Rendering

    /** One rendered document: the template it came from and its content. */
    record Manifest(String source, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String apiVersion() {
            return node.path("apiVersion").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + source + ")";
        }
    }

    /** Annotation that replaces helm.sh/hook in {@link #renderable()}. */
    static final String UNHOOKED = "unhooked.helm.sh/hook";
    private static Path renderable;

    /**
     * A copy of the chart whose hooks are plain resources: Helm's template action (and so
     * helm-java's) leaves hooks out of the manifest, but the {@code helm test} pod must be
     * rendered and checked too. The copy differs only in the annotation key.
     */
    static synchronized Path renderable() {
        if (renderable == null) {
            try {
                Path copy = Files.createTempDirectory("helm-chart-test").resolve("image-worker");
                try (Stream<Path> files = Files.walk(CHART)) {
                    for (Path f : files.toList()) {
                        Path target = copy.resolve(CHART.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.writeString(target, Files.readString(f)
                                    .replace("helm.sh/hook:", UNHOOKED + ":")
                                    .replace("helm.sh/hook-delete-policy:", UNHOOKED + "-delete-policy:"));
                        }
                    }
                }
                renderable = copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return renderable;
    }

    @AfterAll
    static void deleteRenderableCopy() throws IOException {
        if (renderable != null) {
            try (Stream<Path> files = Files.walk(renderable.getParent())) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
            renderable = null;
        }
    }

    /** Renders the chart with the values files (names under src/test/resources/helm) and --set pairs. */
    static List<Manifest> render(List<String> valuesFiles, Map<String, Object> set) {
        TemplateCommand template = new Helm(renderable()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (String file : valuesFiles) {
            template = template.withValuesFile(VALUES.resolve(file));
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return parse(template.call());
    }

    /** Renders one scenario (cached: the render takes a moment). */
    static List<Manifest> scenario(String valuesFile) {
        return RENDERED.computeIfAbsent(valuesFile,
                f -> render(f.isEmpty() ? List.of() : List.of(f), Map.of()));
    }

    static List<Manifest> parse(String multiDocumentYaml) {
        List<Manifest> out = new ArrayList<>();
        for (String doc : multiDocumentYaml.split("(?m)^---\\s*$")) {
            String source = doc.lines().filter(l -> l.startsWith("# Source: ")).findFirst()
                    .map(l -> l.substring("# Source: ".length())).orElse("?");
            try {
                JsonNode node = YAML.readTree(doc);
                if (node != null && !node.isMissingNode() && !node.isNull()) {
                    out.add(new Manifest(source, node));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("rendered YAML does not parse: " + source, e);
            }
        }
        return out;
    }

    static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static JsonNode one(List<Manifest> manifests, String kind) {
        List<Manifest> found = ofKind(manifests, kind);
        assertThat(found).as("rendered %s", kind).hasSize(1);
        return found.get(0).node();
    }

    static JsonNode deployment(List<Manifest> manifests) {
        return one(manifests, "Deployment");
    }

    static JsonNode workerContainer(List<Manifest> manifests) {
        JsonNode containers = deployment(manifests).at("/spec/template/spec/containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static Map<String, String> configMapData(List<Manifest> manifests) {
        Map<String, String> data = new TreeMap<>();
        one(manifests, "ConfigMap").path("data").fields()
                .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        return data;
    }

    /** The container's env entries by name. */
    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    static String tmpSizeLimit(JsonNode pod) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals("tmp")) {
                return v.at("/emptyDir/sizeLimit").asText();
            }
        }
        throw new AssertionError("no tmp volume in " + pod.path("volumes"));
    }

    static String envValue(JsonNode container, String name) {
        JsonNode e = env(container).get(name);
        assertThat(e).as("env %s", name).isNotNull();
        return e.path("value").asText();
    }

    /**
     * Every environment variable name the chart sets on the worker: the keys of its ConfigMap
     * (loaded with envFrom) and the names of the container's env entries. Meant for a check that
     * each of them is a configuration property of the application.
     */
    static Set<String> envNames(List<Manifest> manifests) {
        Set<String> names = new LinkedHashSet<>(configMapData(manifests).keySet());
        names.addAll(env(workerContainer(manifests)).keySet());
        return names;
    }

    static Stream<String> scenarios() {
        return SCENARIOS.stream();
    }

    // ---------------------------------------------------------------------------------------------
    // Lint and schemas

    @Test
    void lintsStrictlyWithoutWarnings() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("scenarios")
    void everyRenderedManifestIsValidAgainstItsKubernetesSchema(String valuesFile) {
        List<Manifest> manifests = scenario(valuesFile);
        assertThat(manifests).isNotEmpty();
        for (Manifest m : manifests) {
            assertThat(KubeSchemas.violations(m.node())).as("schema violations of %s", m).isEmpty();
            assertThat(m.name()).as("name of %s", m).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
            assertThat(m.node().at("/metadata/labels/app.kubernetes.io~1instance").asText()).as("instance label of %s", m)
                    .isEqualTo(RELEASE);
        }
    }

    @Test
    void theSchemaValidatorRejectsUnknownFieldsMissingFieldsAndWrongTypes() throws IOException {
        // A check that checks nothing would pass every manifest: show that it catches mistakes.
        JsonNode good = deployment(scenario(""));
        assertThat(KubeSchemas.violations(good)).isEmpty();

        ObjectNode unknownField = good.deepCopy();
        ((ObjectNode) unknownField.at("/spec/template/spec/containers/0")).put("livenesProbe", "typo");
        assertThat(KubeSchemas.violations(unknownField)).singleElement().asString().contains("livenesProbe");

        ObjectNode missingRequired = good.deepCopy();
        ((ObjectNode) missingRequired.at("/spec/template/spec/containers/0")).remove("name");
        assertThat(KubeSchemas.violations(missingRequired)).singleElement().asString().contains("name");

        ObjectNode wrongType = good.deepCopy();
        ((ObjectNode) wrongType.at("/spec/template/spec/containers/0/ports/0")).put("containerPort", "eighty");
        assertThat(KubeSchemas.violations(wrongType)).isNotEmpty();

        JsonNode scaledObject = one(scenario("keda-on.yaml"), "ScaledObject");
        ObjectNode unknownSpec = scaledObject.deepCopy();
        ((ObjectNode) unknownSpec.path("spec")).put("maxReplicas", 3);
        assertThat(KubeSchemas.violations(unknownSpec)).singleElement().asString().contains("maxReplicas");
        ObjectNode numericMetadata = scaledObject.deepCopy();
        ((ObjectNode) numericMetadata.at("/spec/triggers/0/metadata")).put("lagThreshold", 50);
        assertThat(KubeSchemas.violations(numericMetadata)).isNotEmpty();

        JsonNode unknownKind = YAML.readTree("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n");
        assertThat(KubeSchemas.violations(unknownKind)).singleElement().asString().contains("no schema");
    }

    @Test
    void valuesSchemaRejectsAnUnknownKey() {
        assertThatThrownBy(() -> render(List.of("invalid-unknown-key.yaml"), Map.of()))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(List.of(), Map.of("kafka.bootstrapServer", "typo:9092")))
                .hasMessageContaining("bootstrapServer");
    }

    @Test
    void valuesSchemaRejectsAWrongType() {
        assertThatThrownBy(() -> render(List.of("invalid-wrong-type.yaml"), Map.of()))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("enabled");
        assertThatThrownBy(() -> render(List.of(), Map.of("inference.device", "tpu")))
                .hasMessageContaining("device");
        assertThatThrownBy(() -> render(List.of(), Map.of("keda.offsetResetPolicy", "newest")))
                .hasMessageContaining("offsetResetPolicy");
        assertThatThrownBy(() -> render(List.of(), Map.of("kafka.bootstrapServers", "")))
                .hasMessageContaining("bootstrapServers");
    }

    // ---------------------------------------------------------------------------------------------
    // Defaults

    @Nested
    class Defaults {

        final List<Manifest> manifests = scenario("");
        final JsonNode deployment = deployment(manifests);
        final JsonNode pod = deployment.at("/spec/template/spec");
        final JsonNode container = workerContainer(manifests);

        @Test
        void rendersTheResourcesOfAPlainInstall() {
            assertThat(manifests).extracting(Manifest::kind).containsExactlyInAnyOrder(
                    "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "Pod");
            assertThat(manifests).extracting(Manifest::kind)
                    .doesNotContain("Secret", "ScaledObject", "HorizontalPodAutoscaler", "NetworkPolicy", "ServiceMonitor");
            assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        }

        @Test
        void probesHitTheHealthEndpointsOnTheHttpPort() {
            assertThat(container.path("ports")).singleElement().satisfies(p -> {
                assertThat(p.path("name").asText()).isEqualTo("http");
                assertThat(p.path("containerPort").asInt()).isEqualTo(8080);
            });
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
            assertThat(container.at("/startupProbe/httpGet/port").asText()).isEqualTo("http");
            // Models load and warm up at start: minutes, not the default 30 seconds.
            int startupSeconds = container.at("/startupProbe/periodSeconds").asInt()
                    * container.at("/startupProbe/failureThreshold").asInt();
            assertThat(startupSeconds).isGreaterThanOrEqualTo(180);
        }

        @Test
        void securityContextIsRestricted() {
            assertRestricted(pod, container);
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(185);
            assertThat(container.at("/securityContext/runAsUser").asInt()).isEqualTo(185);
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            assertThat(one(manifests, "ServiceAccount").path("automountServiceAccountToken").asBoolean(true)).isFalse();
        }

        @Test
        void writableCacheAndTmpAreEmptyDirs() {
            Map<String, String> mounts = new TreeMap<>();
            container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
            assertThat(mounts).containsExactlyInAnyOrderEntriesOf(Map.of("cache", "/cache", "tmp", "/tmp"));
            assertThat(pod.path("volumes")).allSatisfy(v -> assertThat(v.has("emptyDir")).as("%s", v).isTrue());
            assertThat(pod.at("/volumes/0/emptyDir/sizeLimit").asText()).isEqualTo("2Gi");
            assertThat(tmpSizeLimit(pod)).isEqualTo("512Mi");

            assertThat(envValue(container, "DJL_CACHE_DIR")).isEqualTo("/cache/djl");
            assertThat(envValue(container, "ENGINE_CACHE_DIR")).isEqualTo("/cache/djl");
            assertThat(configMapData(manifests)).containsEntry("IMAGE_WORKER_MODELS_CACHE_DIR", "/cache/models");
        }

        @Test
        void engineEnvironmentIsSetAndThreadsFollowTheCpuLimit() {
            assertThat(envValue(container, "MXNET_ENGINE_TYPE")).isEqualTo("NaiveEngine");
            assertThat(envValue(container, "OMP_NUM_THREADS")).isEqualTo("2");
            assertThat(envValue(container, "DJL_OFFLINE")).isEqualTo("true");
            assertThat(env(container)).doesNotContainKey("MXNET_LIBRARY_PATH");
            assertThat(env(container).get("IMAGE_WORKER_ID").at("/valueFrom/fieldRef/fieldPath").asText())
                    .isEqualTo("metadata.name");
        }

        @Test
        void configMapCarriesEveryDefaultSettingUnderItsAppName() {
            assertThat(configMapData(manifests)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", "my-cluster-kafka-bootstrap:9092"),
                    Map.entry("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
                    Map.entry("IMAGE_WORKER_TOPICS_JOBS", "image-jobs"),
                    Map.entry("IMAGE_WORKER_TOPICS_RESULTS", "image-results"),
                    Map.entry("IMAGE_WORKER_TOPICS_DEAD_LETTER", "image-jobs-dlq"),
                    Map.entry("IMAGE_WORKER_TOPICS_PROGRESS", "image-progress"),
                    Map.entry("IMAGE_WORKER_CONSUMER_GROUP_ID", "image-worker"),
                    Map.entry("IMAGE_WORKER_CONSUMER_SHUTDOWN_GRACE", "20s"),
                    Map.entry("IMAGE_WORKER_DELIVERY", "at-least-once"),
                    Map.entry("IMAGE_WORKER_STORAGE_REGION", "us-east-1"),
                    Map.entry("IMAGE_WORKER_STORAGE_PATH_STYLE", "false"),
                    Map.entry("IMAGE_WORKER_STORAGE_INPUT_BUCKETS", "images"),
                    Map.entry("IMAGE_WORKER_STORAGE_OUTPUT_URI", "s3://results/jobs/"),
                    Map.entry("IMAGE_WORKER_LIMITS_MAX_OBJECT_BYTES", "20971520"),
                    Map.entry("IMAGE_WORKER_LIMITS_MAX_PIXELS", "40000000"),
                    Map.entry("IMAGE_WORKER_LIMITS_MAX_INPUTS_PER_JOB", "10000"),
                    Map.entry("IMAGE_WORKER_LIMITS_MAX_IN_FLIGHT_JOBS", "64"),
                    Map.entry("IMAGE_WORKER_LIMITS_MAX_IN_FLIGHT_ITEMS", "512"),
                    Map.entry("IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", "64"),
                    Map.entry("IMAGE_WORKER_BATCHING_MAX_QUEUE_DELAY", "5ms"),
                    Map.entry("IMAGE_WORKER_INFERENCE_DEVICE", "cpu"),
                    Map.entry("IMAGE_WORKER_MODELS_CACHE_DIR", "/cache/models")));
            assertThat(container.path("envFrom")).singleElement()
                    .satisfies(e -> assertThat(e.at("/configMapRef/name").asText()).isEqualTo(FULLNAME));
            // The pods roll when the configuration changes.
            assertThat(deployment.at("/spec/template/metadata/annotations/checksum~1config").asText()).hasSize(64);
        }

        @Test
        void envNamesAreAppSettingsKafkaClientSettingsOrEngineVariables() {
            Pattern app = Pattern.compile("(IMAGE_WORKER|KAFKA)_[A-Z0-9_]+");
            Set<String> engine = Set.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "DJL_OFFLINE", "MXNET_ENGINE_TYPE",
                    "OMP_NUM_THREADS", "MXNET_LIBRARY_PATH");
            for (String scenario : SCENARIOS) {
                assertThat(envNames(scenario(scenario))).as("env names with %s", scenario)
                        .allMatch(n -> app.matcher(n).matches() || engine.contains(n) || SECRET_ENV.contains(n));
            }
        }

        @Test
        void noGpuWithoutGpuMode() {
            assertThat(container.at("/resources/limits").has("nvidia.com/gpu")).isFalse();
            assertThat(container.at("/resources/requests").has("nvidia.com/gpu")).isFalse();
            assertThat(pod.has("tolerations")).isFalse();
            assertThat(pod.has("nodeSelector")).isFalse();
            assertThat(pod.has("runtimeClassName")).isFalse();
            assertThat(container.path("image").asText()).isEqualTo("image-worker/image-worker:" + appVersion());
        }

        @Test
        void gracePeriodOutlastsTheShutdownGraceAndQuarkusShutdown() {
            long grace = Duration.parse("PT" + configMapData(manifests).get("IMAGE_WORKER_CONSUMER_SHUTDOWN_GRACE")).toSeconds();
            long quarkusShutdown = 40; // quarkus.shutdown.timeout in application.properties
            assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isEqualTo(60)
                    .isGreaterThan(grace).isGreaterThan(quarkusShutdown);
        }

        @Test
        void podsSpreadOverZonesAndNodes() {
            JsonNode constraints = pod.path("topologySpreadConstraints");
            assertThat(constraints).extracting(c -> c.path("topologyKey").asText())
                    .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            JsonNode selector = deployment.at("/spec/selector/matchLabels");
            assertThat(constraints).allSatisfy(c -> assertThat(c.at("/labelSelector/matchLabels")).isEqualTo(selector));
        }

        @Test
        void serviceAndDisruptionBudgetSelectTheWorkers() {
            JsonNode selector = deployment.at("/spec/selector/matchLabels");
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
            selector.fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));

            JsonNode service = one(manifests, "Service");
            assertThat(service.at("/spec/selector")).isEqualTo(selector);
            assertThat(service.at("/spec/ports")).singleElement().satisfies(p -> {
                assertThat(p.path("name").asText()).isEqualTo("http");
                assertThat(p.path("port").asInt()).isEqualTo(8080);
                assertThat(p.path("targetPort").asText()).isEqualTo("http");
            });
            JsonNode pdb = one(manifests, "PodDisruptionBudget");
            assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(selector);
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        }

        @Test
        void helmTestPodCurlsReadinessThroughTheServiceWithARestrictedContext() {
            JsonNode test = one(manifests, "Pod");
            assertThat(test.at("/metadata/annotations/" + UNHOOKED.replace("/", "~1")).asText()).isEqualTo("test");
            assertThat(test.at("/spec/restartPolicy").asText()).isEqualTo("Never");
            JsonNode curl = test.at("/spec/containers/0");
            List<String> command = new ArrayList<>();
            curl.path("command").forEach(c -> command.add(c.asText()));
            curl.path("args").forEach(c -> command.add(c.asText()));
            assertThat(command).startsWith("curl").contains("--fail")
                    .endsWith("http://" + FULLNAME + ":8080/q/health/ready");
            assertThat(one(manifests, "Service").at("/metadata/name").asText()).isEqualTo(FULLNAME);
            assertRestricted(test.path("spec"), curl);
            // The Service must never pick the test pod as an endpoint.
            JsonNode selector = one(manifests, "Service").at("/spec/selector");
            JsonNode testLabels = test.at("/metadata/labels");
            assertThat(Stream.of("app.kubernetes.io/name", "app.kubernetes.io/instance")
                    .allMatch(k -> testLabels.path(k).equals(selector.path(k)))).isFalse();
        }
    }

    @Test
    void notesTellHowToWatchTestAndScrapeTheRelease() {
        Release release = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).withValuesFile(VALUES.resolve("keda-on.yaml"))
                .dryRun().clientOnly().call();
        assertThat(release.getOutput()).contains("NOTES:")
                .contains("consumes \"jobs-eu\" as group \"workers-eu\"")
                .contains("KEDA, 0 to 12")
                .contains("helm test " + RELEASE)
                .contains("/q/health/ready").contains("/q/metrics");
    }

    @Test
    void testHookIsAHelmTestHookInTheChart() throws IOException {
        // The rendered copy renames the annotation (see renderable()); the chart itself has the hook.
        JsonNode hook = YAML.readTree(Files.readString(CHART.resolve("templates/tests/test-readiness.yaml"))
                .replaceAll("\\{\\{[^}]*}}", "x"));
        assertThat(hook.at("/metadata/annotations/helm.sh~1hook").asText()).isEqualTo("test");
        assertThat(hook.at("/metadata/annotations/helm.sh~1hook-delete-policy").asText())
                .contains("before-hook-creation");
    }

    // ---------------------------------------------------------------------------------------------
    // Scenarios

    @Test
    void gpuModeRequestsTheGpuTolerationsNodeSelectorDeviceAndGpuImage() {
        List<Manifest> manifests = scenario("gpu-on.yaml");
        JsonNode pod = deployment(manifests).at("/spec/template/spec");
        JsonNode container = workerContainer(manifests);

        assertThat(container.at("/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("1");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("8Gi");
        assertThat(pod.path("tolerations")).extracting(t -> t.path("key").asText())
                .containsExactly("dedicated", "nvidia.com/gpu");
        assertThat(pod.at("/nodeSelector/pool").asText()).isEqualTo("inference");
        assertThat(pod.at("/nodeSelector/nvidia.com~1gpu.present").asText()).isEqualTo("true");
        assertThat(pod.path("runtimeClassName").asText()).isEqualTo("nvidia");
        assertThat(configMapData(manifests)).containsEntry("IMAGE_WORKER_INFERENCE_DEVICE", "gpu:0");
        // The GPU image is the ONNX Runtime GPU build: MXNet models stay on the CPU unless a CUDA
        // libmxnet is named; ONNX Runtime unpacks its 345 MB CUDA provider into /tmp at start.
        assertThat(env(container)).doesNotContainKey("MXNET_LIBRARY_PATH");
        assertThat(tmpSizeLimit(pod)).isEqualTo("2Gi");
        assertThat(container.path("image").asText()).isEqualTo("image-worker/image-worker:" + appVersion() + "-gpu");
        // No CPU limit: the request (1500m) rounded down.
        assertThat(envValue(container, "OMP_NUM_THREADS")).isEqualTo("1");
        assertRestricted(pod, container);

        // Explicit overrides win.
        List<Manifest> overridden = render(List.of("gpu-on.yaml"), Map.of(
                "inference.device", "gpu:1", "gpu.count", 2, "gpu.image.tag", "cu121", "inference.ompNumThreads", 4,
                "gpu.mxnetLibraryPath", "/opt/mxnet/lib", "gpu.tmpSizeLimit", "3Gi"));
        JsonNode c = workerContainer(overridden);
        assertThat(envValue(c, "MXNET_LIBRARY_PATH")).isEqualTo("/opt/mxnet/lib");
        assertThat(tmpSizeLimit(deployment(overridden).at("/spec/template/spec"))).isEqualTo("3Gi");
        assertThat(configMapData(overridden)).containsEntry("IMAGE_WORKER_INFERENCE_DEVICE", "gpu:1");
        assertThat(c.at("/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("2");
        assertThat(c.path("image").asText()).isEqualTo("image-worker/image-worker:cu121");
        assertThat(envValue(c, "OMP_NUM_THREADS")).isEqualTo("4");
    }

    @ParameterizedTest(name = "cpu limit {0}")
    @ValueSource(strings = {"500m:1", "1500m:1", "2:2", "4:4", "2.5:2"})
    void ompThreadsFollowTheCpuLimit(String limitAndThreads) {
        String[] parts = limitAndThreads.split(":");
        List<Manifest> manifests = render(List.of(), Map.of("resources.limits.cpu", parts[0]));
        assertThat(envValue(workerContainer(manifests), "OMP_NUM_THREADS")).isEqualTo(parts[1]);
    }

    @Test
    void kedaScalesOnConsumerLagAndNoHpaIsRendered() {
        List<Manifest> manifests = scenario("keda-on.yaml");
        assertThat(ofKind(manifests, "HorizontalPodAutoscaler")).isEmpty();
        JsonNode deployment = deployment(manifests);
        assertThat(deployment.at("/spec").has("replicas")).as("replicas are KEDA's").isFalse();

        JsonNode so = one(manifests, "ScaledObject");
        assertThat(so.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
        assertThat(so.at("/spec/scaleTargetRef/name").asText()).isEqualTo(deployment.at("/metadata/name").asText());
        assertThat(so.at("/spec/minReplicaCount").asInt()).isZero();
        assertThat(so.at("/spec/maxReplicaCount").asInt()).isEqualTo(12);
        assertThat(so.at("/spec/fallback/replicas").asInt()).isEqualTo(2);
        JsonNode trigger = so.at("/spec/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        Map<String, String> metadata = new TreeMap<>();
        trigger.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        assertThat(metadata).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrapServers", "my-cluster-kafka-bootstrap:9092",
                "consumerGroup", "workers-eu",
                "topic", "jobs-eu",
                "lagThreshold", "50",
                "activationLagThreshold", "5",
                "offsetResetPolicy", "earliest",
                "allowIdleConsumers", "false",
                "scaleToZeroOnInvalidOffset", "false",
                "excludePersistentLag", "true"));
        // The trigger watches the same group and topic the workers consume.
        Map<String, String> config = configMapData(manifests);
        assertThat(metadata.get("consumerGroup")).isEqualTo(config.get("IMAGE_WORKER_CONSUMER_GROUP_ID"));
        assertThat(metadata.get("topic")).isEqualTo(config.get("IMAGE_WORKER_TOPICS_JOBS"));
        assertThat(trigger.at("/authenticationRef/name").asText()).isEqualTo("image-worker-kafka-keda");

        // Against SASL over TLS, KEDA's client gets the same protocol and its own credentials.
        JsonNode secured = one(render(List.of("existing-secrets.yaml", "keda-on.yaml"), Map.of()), "ScaledObject");
        assertThat(KubeSchemas.violations(secured)).isEmpty();
        assertThat(secured.at("/spec/triggers/0/metadata/tls").asText()).isEqualTo("enable");
        assertThat(secured.at("/spec/triggers/0/metadata/sasl").asText()).isEqualTo("scram_sha512");
        assertThat(secured.at("/spec/triggers/0/metadata/bootstrapServers").asText())
                .isEqualTo("prod-kafka-bootstrap.kafka:9093");
        assertThatThrownBy(() -> render(List.of("existing-secrets.yaml", "keda-on.yaml"),
                Map.of("keda.authenticationRef.name", "")))
                .hasMessageContaining("keda.authenticationRef.name");
        assertThat(metadata).doesNotContainKeys("tls", "sasl");
    }

    @Test
    void notificationRulesBecomeSettingsAndKedaWatchesTheirTopicToo() {
        List<Manifest> manifests = scenario("notifications.yaml");
        Map<String, String> config = configMapData(manifests);
        assertThat(config).containsAllEntriesOf(Map.of(
                "IMAGE_WORKER_NOTIFICATIONS_TOPIC", "image-uploads",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_PHOTOS_BUCKET", "images",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_PHOTOS_PREFIX", "uploads/",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_PHOTOS_TASK", "classify",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_PHOTOS_OPTIONS", "{\"topK\":3}",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_PHOTOS_OUTPUT", "s3://results/uploads/",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_PHOTOS_PRIORITY", "2",
                "IMAGE_WORKER_NOTIFICATIONS_RULES_RECEIPTS_TASK", "text"));
        assertThat(config).doesNotContainKey("IMAGE_WORKER_NOTIFICATIONS_RULES_RECEIPTS_MODEL");
        JsonNode so = one(manifests, "ScaledObject");
        assertThat(KubeSchemas.violations(so)).isEmpty();
        assertThat(so.at("/spec/triggers")).hasSize(2);
        assertThat(so.at("/spec/triggers/0/metadata/topic").asText()).isEqualTo(config.get("IMAGE_WORKER_TOPICS_JOBS"));
        assertThat(so.at("/spec/triggers/1/metadata/topic").asText()).isEqualTo("image-uploads");
        assertThat(so.at("/spec/triggers/1/metadata/consumerGroup").asText()).isEqualTo(config.get("IMAGE_WORKER_CONSUMER_GROUP_ID"));
        assertThat(configMapData(scenario("keda-on.yaml"))).as("off by default").doesNotContainKey("IMAGE_WORKER_NOTIFICATIONS_TOPIC");
        assertThatThrownBy(() -> render(List.of("notifications.yaml"), Map.of("notifications.rules.Bad-Name.bucket", "images",
                "notifications.rules.Bad-Name.task", "classify")))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void hpaIsTheFallbackWhenKedaIsOff() {
        List<Manifest> manifests = scenario("hpa.yaml");
        assertThat(ofKind(manifests, "ScaledObject")).isEmpty();
        JsonNode hpa = one(manifests, "HorizontalPodAutoscaler");
        assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(FULLNAME);
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(6);
        assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
        assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(70);
        assertThat(deployment(manifests).at("/spec").has("replicas")).isFalse();
    }

    @Test
    void kedaAndHpaAreNeverBoth() {
        for (String scenario : SCENARIOS) {
            List<Manifest> manifests = scenario(scenario);
            assertThat(ofKind(manifests, "ScaledObject").size() + ofKind(manifests, "HorizontalPodAutoscaler").size())
                    .as("autoscalers with %s", scenario).isLessThanOrEqualTo(1);
        }
        assertThatThrownBy(() -> render(List.of("keda-on.yaml", "hpa.yaml"), Map.of("keda.enabled", true)))
                .hasMessageContaining("autoscaling.enabled=false");
    }

    @Test
    void existingSecretsAreReferencedNeverInlined() {
        List<Manifest> manifests = scenario("existing-secrets.yaml");
        JsonNode container = workerContainer(manifests);
        JsonNode pod = deployment(manifests).at("/spec/template/spec");
        Map<String, JsonNode> env = env(container);

        assertSecretRef(env.get("KAFKA_SASL_JAAS_CONFIG"), "image-worker-kafka-user", "sasl.jaas.config");
        assertSecretRef(env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD"), "prod-cluster-ca-cert", "ca.password");
        assertSecretRef(env.get("AWS_ACCESS_KEY_ID"), "image-worker-s3", "accessKey");
        assertSecretRef(env.get("AWS_SECRET_ACCESS_KEY"), "image-worker-s3", "secretKey");

        Map<String, String> config = configMapData(manifests);
        assertThat(config).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/image-worker/kafka-tls/ca.p12")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")
                .containsEntry("IMAGE_WORKER_STORAGE_ENDPOINT", "http://minio.storage:9000")
                .containsEntry("IMAGE_WORKER_STORAGE_PATH_STYLE", "true")
                .containsEntry("IMAGE_WORKER_STORAGE_INPUT_BUCKETS", "images,uploads")
                .containsEntry("IMAGE_WORKER_STORAGE_ALLOWED_OUTPUT_PREFIXES", "s3://results/,s3://exports/tenant-a/")
                .containsEntry("IMAGE_WORKER_PROGRESS_INTERVAL", "5s")
                .doesNotContainKeys(SECRET_ENV.toArray(String[]::new));

        JsonNode tlsVolume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals("kafka-tls")).findFirst().orElseThrow();
        assertThat(tlsVolume.at("/secret/secretName").asText()).isEqualTo("prod-cluster-ca-cert");
        assertThat(tlsVolume.at("/secret/items/0/key").asText()).isEqualTo("ca.p12");
        JsonNode tlsMount = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("name").asText().equals("kafka-tls")).findFirst().orElseThrow();
        assertThat(tlsMount.path("mountPath").asText()).isEqualTo("/etc/image-worker/kafka-tls");
        assertThat(tlsMount.path("readOnly").asBoolean()).isTrue();

        assertThat(one(manifests, "ServiceAccount").at("/metadata/annotations/eks.amazonaws.com~1role-arn").asText())
                .isEqualTo("arn:aws:iam::123456789012:role/image-worker");
    }

    @Test
    void noScenarioInlinesASecretOrRendersASecretResource() {
        for (String scenario : SCENARIOS) {
            List<Manifest> manifests = scenario(scenario);
            assertThat(ofKind(manifests, "Secret")).as("Secrets rendered with %s", scenario).isEmpty();
            assertThat(configMapData(manifests).keySet()).as("ConfigMap with %s", scenario)
                    .doesNotContainAnyElementsOf(SECRET_ENV);
            env(workerContainer(manifests)).forEach((name, e) -> {
                if (SECRET_ENV.contains(name)) {
                    assertThat(e.has("value")).as("%s inlined with %s", name, scenario).isFalse();
                    assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
                }
            });
        }
        // Without existing secrets the SDK's default chain (IAM roles for service accounts) applies.
        assertThat(env(workerContainer(scenario("")))).doesNotContainKeys(SECRET_ENV.toArray(String[]::new));
    }

    @Test
    void networkPolicyAllowsDnsKafkaAndS3OutAndMonitoringIn() {
        List<Manifest> manifests = scenario("network-policy-service-monitor.yaml");
        JsonNode np = one(manifests, "NetworkPolicy");
        JsonNode selector = deployment(manifests).at("/spec/selector/matchLabels");
        assertThat(np.at("/spec/podSelector/matchLabels")).isEqualTo(selector);
        assertThat(np.at("/spec/policyTypes")).extracting(JsonNode::asText).containsExactly("Ingress", "Egress");

        JsonNode ingress = np.at("/spec/ingress");
        assertThat(ingress).hasSize(1);
        assertThat(ingress.at("/0/ports/0/port").asText()).isEqualTo("http");
        assertThat(ingress.at("/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
        // The helm test pod may reach the Service too.
        JsonNode testLabels = one(manifests, "Pod").at("/metadata/labels");
        JsonNode testPeer = ingress.at("/0/from/1/podSelector/matchLabels");
        testPeer.fields().forEachRemaining(e -> assertThat(testLabels.path(e.getKey())).isEqualTo(e.getValue()));

        List<String> egress = new ArrayList<>();
        np.at("/spec/egress").forEach(rule -> rule.path("ports").forEach(
                p -> egress.add(p.path("protocol").asText() + "/" + p.path("port").asText())));
        assertThat(egress).containsExactly("UDP/53", "TCP/53", "TCP/9092", "TCP/443", "TCP/4317");
        assertThat(np.at("/spec/egress/1/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("kafka");
        assertThat(np.at("/spec/egress/2/to/0/ipBlock/cidr").asText()).isEqualTo("10.20.0.0/16");
    }

    @Test
    void serviceMonitorScrapesQuarkusMetricsOnTheHttpPort() {
        List<Manifest> manifests = scenario("network-policy-service-monitor.yaml");
        JsonNode sm = one(manifests, "ServiceMonitor");
        JsonNode service = one(manifests, "Service");
        sm.at("/spec/selector/matchLabels").fields().forEachRemaining(
                e -> assertThat(service.at("/metadata/labels").path(e.getKey())).isEqualTo(e.getValue()));
        assertThat(sm.at("/spec/endpoints")).singleElement().satisfies(e -> {
            assertThat(e.path("port").asText()).isEqualTo("http");
            assertThat(e.path("path").asText()).isEqualTo("/q/metrics");
            assertThat(e.path("interval").asText()).isEqualTo("15s");
        });
        assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    }

    // ---------------------------------------------------------------------------------------------
    // Beside the chart

    @Test
    void strimziTopicsMatchTheChartDefaultsAndTheKedaCeiling() throws IOException {
        List<Manifest> topics = parse(Files.readString(TOPICS));
        assertThat(topics).hasSize(4).allSatisfy(t -> {
            assertThat(t.kind()).isEqualTo("KafkaTopic");
            assertThat(KubeSchemas.violations(t.node())).as("schema violations of %s", t).isEmpty();
        });
        Map<String, String> config = configMapData(scenario(""));
        assertThat(topics).extracting(Manifest::name).containsExactlyInAnyOrder(
                config.get("IMAGE_WORKER_TOPICS_JOBS"), config.get("IMAGE_WORKER_TOPICS_RESULTS"),
                config.get("IMAGE_WORKER_TOPICS_DEAD_LETTER"), config.get("IMAGE_WORKER_TOPICS_PROGRESS"));

        int jobPartitions = topics.stream().filter(t -> t.name().equals(config.get("IMAGE_WORKER_TOPICS_JOBS")))
                .findFirst().orElseThrow().node().at("/spec/partitions").asInt();
        JsonNode defaultScaledObject = one(render(List.of(), Map.of("keda.enabled", true)), "ScaledObject");
        assertThat(defaultScaledObject.at("/spec/maxReplicaCount").asInt())
                .as("the chart's default KEDA maxReplicas equals the partitions of the jobs topic")
                .isEqualTo(jobPartitions);
        assertThat(defaultScaledObject.at("/spec/minReplicaCount").asInt()).isEqualTo(1);
        assertThat(defaultScaledObject.at("/spec/triggers/0/metadata/offsetResetPolicy").asText()).isEqualTo("earliest");
    }

    @Test
    void composeFileRunsKafkaMinioAndTheWorkerWithTheChartsSettingNames() throws IOException {
        JsonNode compose = YAML.readTree(Repo.path("deploy/compose/compose.yaml").toFile());
        JsonNode services = compose.path("services");
        assertThat(services.has("kafka")).isTrue();
        assertThat(services.has("minio")).isTrue();
        assertThat(services.has("worker")).isTrue();
        assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        Set<String> workerEnv = new LinkedHashSet<>();
        services.at("/worker/environment").fieldNames().forEachRemaining(workerEnv::add);
        Set<String> chartEnv = envNames(scenario("existing-secrets.yaml"));
        assertThat(workerEnv).as("compose env names the chart also sets").isSubsetOf(chartEnv);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    static void assertRestricted(JsonNode podSpec, JsonNode container) {
        JsonNode psc = podSpec.path("securityContext");
        JsonNode sc = container.path("securityContext");
        assertThat(psc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(psc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(psc.path("runAsUser").asInt()).isPositive();
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("privileged").asBoolean(false)).isFalse();
        assertThat(sc.at("/capabilities/drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(sc.at("/capabilities").has("add")).isFalse();
    }

    static void assertSecretRef(JsonNode envEntry, String secret, String key) {
        assertThat(envEntry).isNotNull();
        assertThat(envEntry.has("value")).isFalse();
        assertThat(envEntry.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo(secret);
        assertThat(envEntry.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(key);
    }

    static String appVersion() {
        try {
            return YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Offline schema checks of Kubernetes manifests. Built-in kinds: the client-java-api model of
     * {@code apiVersion}/{@code kind} (e.g. {@code apps/v1 Deployment} is {@code V1Deployment}),
     * whose {@code validateJsonElement} is generated from the Kubernetes OpenAPI and rejects unknown
     * fields, missing required fields and non-primitive values where primitives belong, and whose
     * typed parse rejects wrong scalar types. Custom resources: the project's schema of the kind
     * from {@code crd-schemas/}, with {@code additionalProperties: false} added wherever it lists
     * properties and does not say otherwise (the API server would prune unknown fields).
     */
    static final class KubeSchemas {

        private static final Path CRD_SCHEMAS = VALUES.resolve("crd-schemas");
        private static final Map<String, Schema> CRDS = new ConcurrentHashMap<>();

        private KubeSchemas() {}

        static List<String> violations(JsonNode manifest) {
            String apiVersion = manifest.path("apiVersion").asText();
            String kind = manifest.path("kind").asText();
            if (apiVersion.isEmpty() || kind.isEmpty()) {
                return List.of("apiVersion and kind are required");
            }
            Optional<Class<?>> model = builtInModel(apiVersion, kind);
            if (model.isPresent()) {
                return modelViolations(model.get(), manifest);
            }
            Path crd = CRD_SCHEMAS.resolve(apiVersion.replace('/', '-') + "-" + kind + ".json");
            if (!Files.exists(crd)) {
                return List.of("no schema for " + apiVersion + " " + kind + " (add its CRD schema to " + CRD_SCHEMAS + ")");
            }
            List<String> out = new ArrayList<>(modelViolations(V1ObjectMeta.class, manifest.path("metadata")));
            for (Error e : CRDS.computeIfAbsent(crd.toString(), p -> strictSchema(crd)).validate(manifest)) {
                out.add(e.toString());
            }
            return out;
        }

        private static Optional<Class<?>> builtInModel(String apiVersion, String kind) {
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (group.contains(".") && !group.endsWith(".k8s.io")) {
                return Optional.empty(); // a custom resource group
            }
            String name = "io.kubernetes.client.openapi.models."
                    + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
            try {
                return Optional.of(Class.forName(name));
            } catch (ClassNotFoundException e) {
                return Optional.empty();
            }
        }

        private static List<String> modelViolations(Class<?> model, JsonNode node) {
            try {
                String json = JSON.writeValueAsString(node);
                JsonElement element = JsonParser.parseString(json);
                Method validate = model.getMethod("validateJsonElement", JsonElement.class);
                validate.invoke(null, element);
                Method fromJson = model.getMethod("fromJson", String.class);
                fromJson.invoke(null, json); // typed parse: wrong scalar types fail here
                return List.of();
            } catch (InvocationTargetException e) {
                return List.of(model.getSimpleName() + ": " + e.getCause());
            } catch (ReflectiveOperationException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Schema strictSchema(Path crd) {
            try {
                JsonNode schema = JSON.readTree(crd.toFile());
                strict(schema);
                return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void strict(JsonNode node) {
            if (node instanceof ObjectNode o) {
                if (o.has("properties") && o.path("properties").isObject() && !o.has("additionalProperties")
                        && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                    o.put("additionalProperties", false);
                }
                for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                    strict(it.next());
                }
            } else if (node.isArray()) {
                node.forEach(KubeSchemas::strict);
            }
        }
    }
}
