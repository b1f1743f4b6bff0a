package io.imageworker.security;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker against a broker that requires SASL (SCRAM-SHA-512), configured the standard way from
 * the environment; clients without the credentials are refused, and no credential reaches the logs.
 */
class SaslIT {

    static final String USER = "image-worker";
    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static LocalStack stack;
    static String bootstrap;
    static WorkerProcess worker;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.shared();
        bootstrap = stack.startSaslKafka(USER, PASSWORD, List.of("image-jobs", "image-results", "image-jobs-dlq", "image-progress"));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + PASSWORD + "\";");
        worker = WorkerProcess.start(stack, "sasl-worker", env);
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        stack.stopSaslKafka();
    }

    @Test
    void theWorkerServesJobsOverSaslAndNoCredentialReachesItsLogs() throws Exception {
        String jobId = "sasl-" + UUID.randomUUID();
        S3Location loc = new S3Location("images", "sasl/" + jobId + ".png");
        stack.objectStore().write(loc, Digits.png(4), "image/png");
        Map<String, Object> client = new HashMap<>(LocalStack.saslClient(bootstrap, USER, PASSWORD));
        try (KafkaProducer<String, String> p = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>("image-jobs", jobId,
                    "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"" + loc + "\"}]}")).get();
        }
        client.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-test-" + UUID.randomUUID());
        client.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        JsonNode result;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("image-results"));
            // a KafkaConsumer is used from one thread: poll it in the test's
            result = Awaitility.await("the result over SASL").atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO)
                    .pollInSameThread().until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                            if (jobId.equals(EventLog.key(r))) {
                                return EventLog.json(r);
                            }
                        }
                        return null;
                    }, java.util.Objects::nonNull);
        }
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("items").get(0).path("labels").get(0).path("label").asText()).isEqualTo(Integer.toString(Digits.label(4)));

        String logs = worker.log() + worker.get("/q/metrics") + worker.get("/q/health");
        assertThat(logs).doesNotContain(PASSWORD).doesNotContain(LocalStack.SECRET_KEY);
        assertThat(result.toString()).doesNotContain(PASSWORD).doesNotContain(LocalStack.SECRET_KEY);
    }

    @Test
    void clientsWithoutValidCredentialsAreRefused() {
        Map<String, Object> anonymous = new HashMap<>();
        anonymous.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        anonymous.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(anonymous, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>("image-jobs", "x", "{}")).get(10, TimeUnit.SECONDS))
                    .as("a client without SASL").hasStackTraceContaining("Timeout");
        }
        Map<String, Object> wrong = new HashMap<>(LocalStack.saslClient(bootstrap, USER, "not-the-password"));
        wrong.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(wrong, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>("image-jobs", "x", "{}")).get(15, TimeUnit.SECONDS))
                    .as("a client with a wrong password").hasStackTraceContaining("Authentication failed");
        }
    }
}
