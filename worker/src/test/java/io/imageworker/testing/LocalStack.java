package io.imageworker.testing;

import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3ClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker and a real S3 server (s3proxy, SigV4 checked) for the tests, started as
 * separate processes through {@code deploy/local/stack.sh}, the same script the local stack uses,
 * on free ports. One per test JVM, stopped when the JVM exits.
 */
public final class LocalStack implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-" + Long.toHexString(System.nanoTime());
    public static final String INPUT_BUCKET = "images";
    public static final String OUTPUT_BUCKET = "results";
    /** Topic of S3 event notifications in the {@code @QuarkusTest}s' configuration ({@link StackResource}). */
    public static final String NOTIFICATIONS_TOPIC = "image-notifications";

    private static LocalStack shared;

    private final Path dir;
    private final int kafkaPort;
    private final int controllerPort;
    private final int s3Port;

    private LocalStack(Path dir) {
        this.dir = dir;
        this.kafkaPort = freePort();
        this.controllerPort = freePort();
        this.s3Port = freePort();
    }

    /** The stack shared by every test of this JVM, started on first call. */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            try {
                LocalStack s = new LocalStack(Files.createTempDirectory("image-worker-stack-"));
                s.startKafka();
                s.startS3();
                s.createTopics(List.of("image-jobs", "image-results", "image-jobs-dlq", "image-progress", NOTIFICATIONS_TOPIC), 3);
                s.createBuckets(INPUT_BUCKET, OUTPUT_BUCKET);
                Runtime.getRuntime().addShutdownHook(new Thread(s::close, "local-stack-stop"));
                shared = s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    public Path dir() {
        return dir;
    }

    /** Config for a worker or client using this stack (credentials go through system properties). */
    public Map<String, String> config() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return Map.of(
                "kafka.bootstrap.servers", bootstrap(),
                "image-worker.storage.endpoint", s3Endpoint(),
                "image-worker.storage.path-style", "true",
                "image-worker.storage.input-buckets", INPUT_BUCKET,
                "image-worker.storage.output-uri", "s3://" + OUTPUT_BUCKET + "/jobs/",
                // in-process workers measure their warm-up at every start, as the tests of it expect;
                // nothing is kept in the user's model cache between builds
                "image-worker.batching.choices-dir", "none");
    }

    /** A client for the test's own reads and writes. */
    public ObjectStore objectStore() {
        config();
        return new ObjectStore(S3ClientFactory.create(Optional.of(s3Endpoint()), "us-east-1", true, 3,
                Duration.ofSeconds(30), 16));
    }

    public void startKafka() throws IOException {
        script("kafka-start", dir.resolve("kafka").toString(), Integer.toString(kafkaPort), Integer.toString(controllerPort));
    }

    public void stopKafka() throws IOException {
        script("stop", dir.resolve("kafka/pid").toString());
    }

    public void startS3() throws IOException {
        script("s3-start", dir.resolve("s3").toString(), Integer.toString(s3Port), ACCESS_KEY, SECRET_KEY);
    }

    public void stopS3() throws IOException {
        script("stop", dir.resolve("s3/pid").toString());
    }

    public void createTopics(List<String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void createBuckets(String... names) {
        ObjectStore store = objectStore();
        for (String b : names) {
            try {
                store.ensureBucket(b);
            } catch (io.imageworker.storage.StorageException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            stopKafka();
        } catch (IOException | RuntimeException e) {
            // best effort at JVM exit
        }
        try {
            stopS3();
        } catch (IOException | RuntimeException e) {
            // best effort at JVM exit
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort at JVM exit
        }
    }

    /**
     * A second broker that requires SASL (SASL_PLAINTEXT, SCRAM-SHA-512) from every client; its topics
     * are created with the given user. Stopped by {@link #stopSaslKafka()}.
     *
     * @return its bootstrap address
     */
    public String startSaslKafka(String user, String password, List<String> topics) throws IOException {
        int port = freePort();
        script("kafka-start-sasl", dir.resolve("kafka-sasl").toString(), Integer.toString(port), Integer.toString(freePort()),
                user, password);
        String bootstrap = "127.0.0.1:" + port;
        Map<String, Object> admin = new java.util.HashMap<>(saslClient(bootstrap, user, password));
        try (Admin a = Admin.create(admin)) {
            a.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException("cannot create topics on the SASL broker", e);
        }
        return bootstrap;
    }

    public void stopSaslKafka() throws IOException {
        script("stop", dir.resolve("kafka-sasl/pid").toString());
    }

    /** Client properties for the SASL broker. */
    public static Map<String, String> saslClient(String bootstrap, String user, String password) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private static String script(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(Repo.path("deploy/local/stack.sh").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stack.sh " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
