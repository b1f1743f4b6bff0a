package io.imageworker.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object-store requests by operation ({@code image_worker_storage_requests_total}) and records the
 * worker's Kafka producers sent ({@code kafka_producer_record_send_total}), read from its
 * {@code /q/metrics}.
 */
record Requests(Map<String, Double> storage, double records) {

    private static final Pattern STORAGE =
            Pattern.compile("image_worker_storage_requests_total\\{.*operation=\"([A-Za-z0-9]+)\".*} (\\S+)");

    static Requests of(WorkerLauncher w) throws Exception {
        return parse(w.get("/q/metrics"));
    }

    static Requests parse(String metrics) {
        Map<String, Double> ops = new TreeMap<>();
        double records = 0;
        for (String line : metrics.lines().toList()) {
            Matcher m = STORAGE.matcher(line);
            if (m.matches()) {
                ops.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
            } else if (line.startsWith("kafka_producer_record_send_total")) {
                records += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new Requests(ops, records);
    }

    Requests since(Requests before) {
        Map<String, Double> ops = new TreeMap<>();
        storage.forEach((op, n) -> ops.put(op, n - before.storage().getOrDefault(op, 0.0)));
        return new Requests(ops, records - before.records());
    }

    /** {@code HEAD 0.00, GET 1.00, PUT 1.00; 1.00 Kafka records} for {@code jobs} jobs. */
    String perJob(int jobs) {
        StringBuilder b = new StringBuilder();
        for (String[] op : new String[][] {{"HeadObject", "HEAD"}, {"GetObject", "GET"}, {"PutObject", "PUT"}}) {
            b.append(b.isEmpty() ? "" : ", ").append(op[1]).append(' ')
                    .append(String.format("%.2f", storage.getOrDefault(op[0], 0.0) / jobs));
        }
        storage.forEach((op, n) -> {
            if (!List.of("HeadObject", "GetObject", "PutObject").contains(op) && n > 0) {
                b.append(", ").append(op).append(' ').append(String.format("%.2f", n / jobs));
            }
        });
        return b.append(String.format("; %.2f Kafka records", records / jobs)).toString();
    }
}
