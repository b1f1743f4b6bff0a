package io.imageworker.deploy;

import static io.imageworker.deploy.HelmChartTest.configMapData;
import static io.imageworker.deploy.HelmChartTest.env;
import static io.imageworker.deploy.HelmChartTest.ofKind;
import static io.imageworker.deploy.HelmChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.deploy.HelmChartTest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The chart's {@code pools:}: without pools an install renders exactly as before pools existed
 * (held against renders of the chart from before them, in {@code src/test/resources/helm/before-pools/});
 * with two pools and KEDA ({@code pools-keda.yaml}) each pool is its own Deployment with its tasks,
 * resources, topic and consumer group, scaled by its own ScaledObject on that group's lag of that
 * topic, with its own Service, ServiceMonitor and NetworkPolicy, and the release's workers route to them.
 */
class PoolsChartTest {

    static final Path BEFORE = HelmChartTest.VALUES.resolve("before-pools");

    @AfterAll
    static void deleteRenderableCopy() throws IOException {
        HelmChartTest.deleteRenderableCopy();
    }

    /** The rendered documents by kind/name, hooks left out as Helm's template leaves them out. */
    static Map<String, JsonNode> byName(List<Manifest> manifests) {
        return manifests.stream().filter(m -> !m.node().at("/metadata/annotations").has(HelmChartTest.UNHOOKED))
                .collect(Collectors.toMap(m -> m.kind() + "/" + m.name(), Manifest::node, (a, b) -> a, TreeMap::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "keda-on.yaml", "hpa.yaml", "notifications.yaml", "gpu-on.yaml", "existing-secrets.yaml",
            "network-policy-service-monitor.yaml"})
    void withoutPoolsEveryManifestRendersExactlyAsBeforePools(String values) throws IOException {
        Map<String, JsonNode> before = byName(HelmChartTest.parse(
                Files.readString(BEFORE.resolve(values.isEmpty() ? "defaults.yaml" : values))));
        Map<String, JsonNode> now = byName(render(values.isEmpty() ? List.of() : List.of(values), Map.of()));
        assertThat(before).as("the renders from before pools").containsKeys("Deployment/iw-image-worker", "ConfigMap/iw-image-worker");
        assertThat(now.keySet()).isEqualTo(before.keySet());
        before.forEach((name, node) -> assertThat(now.get(name)).as(name).isEqualTo(node));
    }

    @Test
    void twoPoolsWithKedaAreEachADeploymentScaledOnItsOwnGroupsLagOfItsOwnTopic() {
        List<Manifest> manifests = render(List.of("pools-keda.yaml"), Map.of());
        manifests.forEach(m -> {
            assertThat(HelmChartTest.KubeSchemas.violations(m.node())).as(m.toString()).isEmpty();
            assertThat(m.name()).as("name of %s", m).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        });
        Map<String, JsonNode> all = byName(manifests);
        assertThat(ofKind(manifests, "Deployment")).extracting(Manifest::name)
                .containsExactlyInAnyOrder("iw-image-worker", "iw-image-worker-classify", "iw-image-worker-text");
        assertThat(ofKind(manifests, "ScaledObject")).hasSize(3);
        assertThat(ofKind(manifests, "PodDisruptionBudget")).hasSize(3);
        assertThat(ofKind(manifests, "ConfigMap")).as("one shared ConfigMap").hasSize(1);
        Map<String, String> config = configMapData(manifests);

        // The release's workers: the shared topic and group, the router's tasks, routes to both pools.
        JsonNode router = all.get("Deployment/iw-image-worker");
        Map<String, JsonNode> routerEnv = env(router.at("/spec/template/spec/containers/0"));
        assertThat(config).containsEntry("IMAGE_WORKER_TASKS", "properties")
                .containsEntry("IMAGE_WORKER_TOPICS_JOBS", "image-jobs").containsEntry("IMAGE_WORKER_CONSUMER_GROUP_ID", "image-worker");
        assertThat(value(routerEnv, "IMAGE_WORKER_ROUTING_POOLS_CLASSIFY_TOPIC")).isEqualTo("image-jobs-classify");
        assertThat(value(routerEnv, "IMAGE_WORKER_ROUTING_POOLS_CLASSIFY_TASKS")).isEqualTo("classify,annotate");
        assertThat(value(routerEnv, "IMAGE_WORKER_ROUTING_POOLS_TEXT_TOPIC")).isEqualTo("ocr-jobs");
        assertThat(value(routerEnv, "IMAGE_WORKER_ROUTING_POOLS_TEXT_TASKS")).isEqualTo("text,faces");
        assertThat(routerEnv).as("the router's own settings").doesNotContainKey("IMAGE_WORKER_TASKS");
        assertTrigger(all.get("ScaledObject/iw-image-worker"), "iw-image-worker", "image-worker", "image-jobs", 12, "20");

        // Each pool: its tasks, topic and group over the shared ConfigMap's, no routing, no notifications.
        JsonNode text = all.get("Deployment/iw-image-worker-text");
        Map<String, JsonNode> textEnv = env(text.at("/spec/template/spec/containers/0"));
        assertThat(value(textEnv, "IMAGE_WORKER_TASKS")).isEqualTo("text,faces");
        assertThat(value(textEnv, "IMAGE_WORKER_TOPICS_JOBS")).isEqualTo("ocr-jobs");
        assertThat(value(textEnv, "IMAGE_WORKER_CONSUMER_GROUP_ID")).isEqualTo("ocr-workers");
        assertThat(value(textEnv, "IMAGE_WORKER_NOTIFICATIONS_TOPIC")).isEmpty();
        assertThat(textEnv.keySet()).noneMatch(n -> n.startsWith("IMAGE_WORKER_ROUTING_"));
        assertThat(text.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asText()).isEqualTo("iw-image-worker");
        assertThat(text.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("iw-image-worker");
        assertThat(text.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("2Gi");
        assertThat(text.at("/spec").has("replicas")).as("replicas are KEDA's").isFalse();
        assertTrigger(all.get("ScaledObject/iw-image-worker-text"), "iw-image-worker-text", "ocr-workers", "ocr-jobs", 6, "5");

        JsonNode classify = all.get("Deployment/iw-image-worker-classify");
        Map<String, JsonNode> classifyEnv = env(classify.at("/spec/template/spec/containers/0"));
        assertThat(value(classifyEnv, "IMAGE_WORKER_TOPICS_JOBS")).isEqualTo("image-jobs-classify");
        assertThat(value(classifyEnv, "IMAGE_WORKER_CONSUMER_GROUP_ID")).isEqualTo("image-worker-classify");
        assertThat(classify.at("/spec/template/spec/containers/0/resources")).as("the release's resources by default")
                .isEqualTo(router.at("/spec/template/spec/containers/0/resources"));
        assertTrigger(all.get("ScaledObject/iw-image-worker-classify"), "iw-image-worker-classify", "image-worker-classify",
                "image-jobs-classify", 12, "200");

        // Selectors never overlap: no Deployment, PDB or spread constraint selects another pool's pods.
        for (String name : List.of("iw-image-worker", "iw-image-worker-classify", "iw-image-worker-text")) {
            JsonNode d = all.get("Deployment/" + name);
            JsonNode selector = d.at("/spec/selector/matchLabels");
            assertThat(d.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText())
                    .isEqualTo(selector.path("app.kubernetes.io/name").asText());
            assertThat(all.get("PodDisruptionBudget/" + name).at("/spec/selector/matchLabels")).isEqualTo(selector);
            assertThat(d.at("/spec/template/spec/topologySpreadConstraints/0/labelSelector/matchLabels")).isEqualTo(selector);
        }
        assertThat(List.of("Deployment/iw-image-worker", "Deployment/iw-image-worker-classify", "Deployment/iw-image-worker-text")
                .stream().map(n -> all.get(n).at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText()).distinct())
                .hasSize(3);
    }

    /** helm-java's lint takes no values file: a copy of the chart whose values.yaml has the two pools merged in. */
    @Test
    void lintsStrictlyWithTwoPools() throws IOException {
        Path copy = Files.createTempDirectory("pools-lint").resolve("image-worker");
        try (java.util.stream.Stream<Path> files = Files.walk(HelmChartTest.CHART)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(HelmChartTest.CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode values = (com.fasterxml.jackson.databind.node.ObjectNode)
                HelmChartTest.YAML.readTree(HelmChartTest.CHART.resolve("values.yaml").toFile());
        HelmChartTest.YAML.readerForUpdating(values).readValue(HelmChartTest.VALUES.resolve("pools-keda.yaml").toFile());
        assertThat(values.at("/pools/text/tasks/0").asText()).isEqualTo("text");
        assertThat(values.at("/keda/authenticationRef/kind").asText()).as("a deep merge").isEqualTo("TriggerAuthentication");
        HelmChartTest.YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        com.marcnuri.helm.LintResult lint = new com.marcnuri.helm.Helm(copy).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void aPoolWithoutTasksOrABadNameIsRefused() {
        assertThatThrownBy(() -> render(List.of(), Map.of("pools.text.topic", "ocr-jobs")))
                .hasMessageContaining("values don't meet the specifications of the schema");
        assertThatThrownBy(() -> render(List.of(), Map.of("pools.Text_Pool.tasks[0]", "text")))
                .hasMessageContaining("values don't meet the specifications of the schema");
        assertThatThrownBy(() -> render(List.of(), Map.of("pools.text.tasks[0]", "ocr")))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void eachPoolHasItsOwnServiceServiceMonitorAndNetworkPolicyOverItsOwnPods() {
        Map<String, JsonNode> all = byName(render(List.of("pools-keda.yaml", "network-policy-service-monitor.yaml"), Map.of()));
        for (String name : List.of("iw-image-worker", "iw-image-worker-classify", "iw-image-worker-text")) {
            JsonNode pods = all.get("Deployment/" + name).at("/spec/selector/matchLabels");
            assertThat(all.get("Service/" + name).at("/spec/selector")).as(name).isEqualTo(pods);
            assertThat(all.get("ServiceMonitor/" + name).at("/spec/selector/matchLabels")).as(name).isEqualTo(pods);
            assertThat(all.get("NetworkPolicy/" + name).at("/spec/podSelector/matchLabels")).as(name).isEqualTo(pods);
            assertThat(all.get("NetworkPolicy/" + name).at("/spec/egress")).as(name)
                    .isEqualTo(all.get("NetworkPolicy/iw-image-worker").at("/spec/egress"));
            assertThat(HelmChartTest.KubeSchemas.violations(all.get("NetworkPolicy/" + name))).isEmpty();
            assertThat(HelmChartTest.KubeSchemas.violations(all.get("ServiceMonitor/" + name))).isEmpty();
        }
    }

    @Test
    void aPoolCanTurnKedaOffForFixedReplicasAndWithoutKedaEachPoolGetsItsOwnHpa() {
        Map<String, JsonNode> fixed = byName(render(List.of("pools-keda.yaml"),
                Map.of("pools.text.keda.enabled", "false", "pools.text.replicaCount", "3")));
        assertThat(fixed).doesNotContainKey("ScaledObject/iw-image-worker-text").containsKey("ScaledObject/iw-image-worker-classify");
        assertThat(fixed.get("Deployment/iw-image-worker-text").at("/spec/replicas").asInt()).isEqualTo(3);

        Map<String, JsonNode> hpa = byName(render(List.of("pools-keda.yaml"),
                Map.of("keda.enabled", "false", "autoscaling.enabled", "true")));
        assertThat(hpa.keySet()).filteredOn(k -> k.startsWith("HorizontalPodAutoscaler/")).containsExactlyInAnyOrder(
                "HorizontalPodAutoscaler/iw-image-worker", "HorizontalPodAutoscaler/iw-image-worker-classify",
                "HorizontalPodAutoscaler/iw-image-worker-text");
        assertThat(hpa.get("HorizontalPodAutoscaler/iw-image-worker-text").at("/spec/scaleTargetRef/name").asText())
                .isEqualTo("iw-image-worker-text");
        // The chart's refusals hold per pool: KEDA and the HPA never both.
        assertThatThrownBy(() -> render(List.of("pools-keda.yaml"), Map.of("keda.enabled", "false", "autoscaling.enabled", "true",
                "pools.text.keda.enabled", "true"))).hasMessageContaining("keda.enabled and autoscaling.enabled are both true");
    }

    static String value(Map<String, JsonNode> env, String name) {
        assertThat(env).as("env").containsKey(name);
        return env.get(name).path("value").asText();
    }

    static void assertTrigger(JsonNode so, String target, String group, String topic, int max, String lag) {
        assertThat(so).as("ScaledObject of " + target).isNotNull();
        assertThat(so.at("/spec/scaleTargetRef/name").asText()).isEqualTo(target);
        assertThat(so.at("/spec/maxReplicaCount").asInt()).isEqualTo(max);
        assertThat(so.at("/spec/triggers")).as("one trigger: the pool's own topic").hasSize(1);
        JsonNode m = so.at("/spec/triggers/0/metadata");
        assertThat(m.path("consumerGroup").asText()).isEqualTo(group);
        assertThat(m.path("topic").asText()).isEqualTo(topic);
        assertThat(m.path("lagThreshold").asText()).isEqualTo(lag);
    }
}
