package io.imageworker.observability;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard the chart ships ({@code helm/image-worker/dashboards/image-worker.json})
 * queries only series the running worker exposes on {@code /q/metrics}: every metric name in
 * every PromQL expression (and template variable query) is matched, exactly, against the series
 * names of a scrape taken after a job was served and one was dead-lettered.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class DashboardTest extends WorkerTest {

    static final Path DASHBOARD = Repo.path("helm/image-worker/dashboards/image-worker.json");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    @TestHTTPResource("/q/metrics")
    URL metrics;

    /** Metric names a PromQL expression selects: identifiers that are not functions, keywords, labels or variables. */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String rest = s.substring(m.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** Every metric the dashboard names, with where (panel title or variable). */
    static Map<String, Set<String>> dashboardMetrics() throws Exception {
        JsonNode dash = EventLog.JSON.readTree(Files.readString(DASHBOARD));
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as("query of panel %s", panel.path("title").asText()).isNotBlank();
                metricNames(expr).forEach(n -> out.computeIfAbsent(n, k -> new TreeSet<>()).add(panel.path("title").asText()));
            }
        }
        for (JsonNode variable : dash.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            while (m.find()) {
                out.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add("variable " + variable.path("name").asText());
            }
        }
        return out;
    }

    @Test
    void theQueryParserFindsTheMetricsAndNothingElse() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, model) (rate(image_worker_queue_delay_seconds_bucket"
                + "{namespace=~\"$namespace\", outcome=\"ok\"}[$__rate_interval])))"))
                .containsExactly("image_worker_queue_delay_seconds_bucket");
        assertThat(metricNames("sum(increase(a_total[1h])) / on (pod) group_left (x) sum without (le) (b_sum) * 1e3 > bool 2"))
                .containsExactly("a_total", "b_sum");
        assertThat(metricNames("max by (pod) (kafka_consumer_fetch_manager_records_lag_max{namespace=~\"$namespace\"})"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposedByTheWorker() throws Exception {
        // a served job and a dead-lettered one: counters and timers with labels exist only once used
        String jobId = "dashboard-" + UUID.randomUUID();
        LocalStack.shared().objectStore().write(new S3Location("images", jobId + ".png"), Digits.png(3), "image/png");
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":"
                + "\"s3://images/" + jobId + ".png\"}]}");
        String badId = "dashboard-bad-" + UUID.randomUUID();
        events.produce("image-jobs", badId, "{\"jobId\":\"" + badId + "\",\"task\":\"no-such-task\",\"inputs\":[]}");
        assertThat(events.result(jobId, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("succeeded");
        events.await("image-jobs-dlq", r -> badId.equals(EventLog.key(r)), Duration.ofSeconds(60));

        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(metrics.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        Set<String> exposed = new TreeSet<>();
        scrape.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> exposed.add(l.replaceAll("[{ ].*", "")));

        Map<String, Set<String>> queried = dashboardMetrics();
        // what the dashboard is for: jobs and items by status, throughput, batch sizes and queue delay per model,
        // inference and fetch durations, in-flight gauges, consumer lag, dead letters by reason
        assertThat(queried.keySet()).contains("image_worker_jobs_total", "image_worker_items_total",
                "image_worker_inference_items_total", "image_worker_batches_total", "image_worker_batch_size_bucket",
                "image_worker_queue_delay_seconds_bucket", "image_worker_inference_duration_seconds_bucket",
                "image_worker_fetch_duration_seconds_bucket", "image_worker_jobs_in_flight", "image_worker_items_in_flight",
                "image_worker_queue_depth", "kafka_consumer_fetch_manager_records_lag_max", "image_worker_dead_letters_total");
        queried.forEach((name, where) -> assertThat(exposed)
                .as("%s (queried by %s) among the worker's series", name, where).contains(name));
    }
}
