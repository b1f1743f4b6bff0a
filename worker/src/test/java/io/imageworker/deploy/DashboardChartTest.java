package io.imageworker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's optional Grafana dashboard: off by default; on, one ConfigMap labelled for Grafana's
 * dashboard sidecar that carries {@code dashboards/image-worker.json} unchanged.
 */
class DashboardChartTest {

    static List<HelmChartTest.Manifest> dashboards(List<HelmChartTest.Manifest> manifests) {
        return manifests.stream().filter(m -> m.kind().equals("ConfigMap") && m.name().endsWith("-dashboard")).toList();
    }

    @Test
    void offByDefault() {
        assertThat(dashboards(HelmChartTest.scenario(""))).isEmpty();
    }

    @Test
    void onItIsAConfigMapTheSidecarLoadsHoldingTheDashboardAsShipped() throws Exception {
        List<HelmChartTest.Manifest> manifests = HelmChartTest.render(List.of(), Map.of("grafanaDashboard.enabled", "true",
                "grafanaDashboard.namespace", "monitoring", "grafanaDashboard.annotations.grafana_folder", "Workers"));
        assertThat(dashboards(manifests)).hasSize(1);
        JsonNode cm = dashboards(manifests).get(0).node();
        assertThat(cm.at("/metadata/name").asText()).isEqualTo(HelmChartTest.FULLNAME + "-dashboard");
        assertThat(cm.at("/metadata/namespace").asText()).isEqualTo("monitoring");
        assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(cm.at("/metadata/labels/app.kubernetes.io~1instance").asText()).isEqualTo(HelmChartTest.RELEASE);
        assertThat(cm.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("Workers");
        JsonNode shipped = HelmChartTest.JSON.readTree(Files.readString(HelmChartTest.CHART.resolve("dashboards/image-worker.json")));
        JsonNode rendered = HelmChartTest.JSON.readTree(cm.at("/data/image-worker.json").asText());
        assertThat(rendered).isEqualTo(shipped);
        assertThat(rendered.path("panels").size()).isGreaterThan(10);
    }

    @Test
    void theSchemaRefusesAnUnknownDashboardKey() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HelmChartTest.render(List.of(),
                Map.of("grafanaDashboard.enable", "true")))).isNotNull();
    }
}
