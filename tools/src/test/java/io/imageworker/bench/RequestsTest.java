package io.imageworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench's reading of a worker's request counters from its Prometheus text. */
class RequestsTest {

    static final String BEFORE = """
            # TYPE image_worker_storage_requests_total counter
            image_worker_storage_requests_total{operation="GetObject"} 10.0
            image_worker_storage_requests_total{operation="PutObject"} 30.0
            image_worker_storage_requests_total{operation="HeadObject"} 10.0
            kafka_producer_record_send_total{client_id="image-worker-results",kafka_version="4.1.2"} 10.0
            kafka_consumer_fetch_manager_records_consumed_total{client_id="c"} 99.0
            """;

    static final String AFTER = """
            image_worker_storage_requests_total{operation="GetObject"} 110.0
            image_worker_storage_requests_total{operation="PutObject"} 130.0
            image_worker_storage_requests_total{operation="HeadObject"} 10.0
            image_worker_storage_requests_total{operation="ListObjectsV2"} 2.0
            kafka_producer_record_send_total{client_id="image-worker-results",kafka_version="4.1.2"} 110.0
            kafka_producer_record_send_total{client_id="image-worker-tx",kafka_version="4.1.2"} 0.0
            """;

    @Test
    void perJobIsTheDifferenceDividedByTheJobs() {
        Requests used = Requests.parse(AFTER).since(Requests.parse(BEFORE));
        assertThat(used.perJob(100)).isEqualTo("HEAD 0.00, GET 1.00, PUT 1.00, ListObjectsV2 0.02; 1.00 Kafka records");
    }
}
