package io.imageworker.cli;

import io.imageworker.config.TopicsConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.config.WorkerConfig;
import io.imageworker.storage.Storage;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.quarkus.arc.Unremovable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code submit}: a client of the worker. Uploads local images (or names s3:// URIs), produces one
 * job, follows it on the progress and results topics, and prints what came back.
 */
@Unremovable
@Dependent
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submits one job and waits for its result.",
            "Local files and folders are uploaded to s3://<bucket>/<upload-prefix><jobId>/ first; s3:// URIs are used as they are.",
            "Exit status: 0 succeeded, 3 partial, 1 failed, rejected, expired or timed out."})
public class SubmitCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Image files, folders of images, or s3:// URIs.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--task", defaultValue = "classify", completionCandidates = io.imageworker.pipeline.TaskNames.class,
            description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--feature", paramLabel = "TYPE[:MAX_RESULTS]", description = "A Cloud Vision feature (TEXT_DETECTION,"
            + " FACE_DETECTION, IMAGE_PROPERTIES, LABEL_DETECTION ...), repeatable: the job asks for every one of each image"
            + " (task annotate; --task and --option do not apply).")
    List<String> features = new ArrayList<>();

    @Option(names = "--model", description = "Model name or name:version (default: the worker's for the task).")
    String model;

    @Option(names = "--input-prefix", description = "Take every object under this s3:// prefix as input.")
    String inputPrefix;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "Task option, repeatable (e.g. topK=3). Numbers and true/false are typed.")
    Map<String, String> options = new HashMap<>();

    @Option(names = "--output", description = "s3:// prefix for the job's artifacts (default: the worker's).")
    String output;

    @Option(names = "--job-id", description = "Job id (default: a new one).")
    String jobId;

    @Option(names = "--priority", defaultValue = "0", description = "0-9, higher first (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--bucket", description = "Bucket to upload local files to (default: the first allowed input bucket).")
    String bucket;

    @Option(names = "--upload-prefix", defaultValue = "uploads/", description = "Key prefix for uploads (default: ${DEFAULT-VALUE}).")
    String uploadPrefix;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "How long to wait for the result, ISO-8601 (default: 5 minutes).")
    Duration timeout;

    @Option(names = "--labels-from-dir", description = "Take each local file's folder name as its true label and report accuracy (classify).")
    boolean labelsFromDir;

    @Option(names = "--json", description = "Print the result event as JSON instead of a summary.")
    boolean jsonOutput;

    @Inject
    WorkerConfig config;

    @Inject
    Storage storage;

    @Inject
    ObjectMapper json;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        String id = jobId != null ? jobId : "job-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectStore store = storage.store();
        List<String> uris = new ArrayList<>();
        Map<String, String> truth = new HashMap<>();
        String uploadBucket = bucket != null ? bucket : config.storage().inputBuckets().get(0);
        for (String in : inputs) {
            if (in.startsWith("s3://")) {
                uris.add(in);
                continue;
            }
            for (Path file : images(Path.of(in))) {
                S3Location loc = new S3Location(uploadBucket, uploadPrefix + id + "/" + relative(Path.of(in), file));
                store.write(loc, Files.readAllBytes(file), contentType(file));
                uris.add(loc.toString());
                if (file.getParent() != null) {
                    truth.put(loc.toString(), file.getParent().getFileName().toString());
                }
            }
        }
        if (uris.isEmpty() && inputPrefix == null && !task.equals("generate")) {
            System.err.println("nothing to submit: give image files, folders, s3:// URIs or --input-prefix");
            return 1;
        }
        if (!uris.isEmpty() && !jsonOutput) {
            System.err.printf("uploaded/named %d inputs for job %s%n", uris.size(), id);
        }
        byte[] job = json.writeValueAsBytes(jobEvent(id, uris));
        TopicsConfig topics = config.topics();
        try (KafkaConsumer<byte[], byte[]> follow = follower();
                KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topics.results(), topics.progress())) {
                follow.partitionsFor(t, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            follow.assign(parts);
            follow.seekToEnd(parts);
            parts.forEach(p -> follow.position(p, Duration.ofSeconds(30))); // fix positions before producing
            producer.send(new ProducerRecord<>(topics.jobs(), id, job)).get();
            JsonNode result = await(follow, id, topics);
            if (result == null) {
                System.err.printf("no result for job %s within %s (it stays queued; results arrive on %s)%n", id, timeout,
                        topics.results());
                return 1;
            }
            if (result.path("itemsOmitted").asBoolean(false) && result.hasNonNull("resultUri")) {
                JsonNode full = json.readTree(store.read(S3Location.parse(result.get("resultUri").asText()), Long.MAX_VALUE));
                ((ObjectNode) result).set("items", full.get("items"));
            }
            if (jsonOutput) {
                out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            } else {
                new ResultSummary(out).print(result, labelsFromDir ? truth : Map.of());
            }
            return switch (result.path("status").asText()) {
                case "succeeded" -> 0;
                case "partial" -> 3;
                default -> 1;
            };
        }
    }

    private ObjectNode jobEvent(String id, List<String> uris) {
        ObjectNode job = json.createObjectNode().put("jobId", id);
        if (features.isEmpty()) {
            job.put("task", task);
        } else {
            ArrayNode list = job.putArray("features");
            for (String f : features) {
                int colon = f.indexOf(':');
                ObjectNode feature = list.addObject().put("type", colon < 0 ? f : f.substring(0, colon));
                if (colon >= 0) {
                    feature.set("maxResults", typed(f.substring(colon + 1)));
                }
            }
        }
        if (!uris.isEmpty()) {
            ArrayNode arr = job.putArray("inputs");
            uris.forEach(u -> arr.addObject().put("uri", u));
        }
        if (inputPrefix != null) {
            job.put("inputPrefix", inputPrefix);
        }
        if (output != null) {
            job.putObject("output").put("uri", output);
        }
        if (model != null) {
            job.put("model", model);
        }
        if (!options.isEmpty()) {
            ObjectNode o = job.putObject("options");
            options.forEach((k, v) -> o.set(k, typed(v)));
        }
        if (priority != 0) {
            job.put("priority", priority);
        }
        job.put("submittedAt", Instant.now().toString());
        return job;
    }

    private JsonNode typed(String v) {
        try {
            return json.readTree(v);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(v);
        }
    }

    private JsonNode await(KafkaConsumer<byte[], byte[]> follow, String id, TopicsConfig topics) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProgressBar bar = new ProgressBar(jsonOutput ? null : System.err);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : follow.poll(Duration.ofMillis(200))) {
                if (r.key() == null || !id.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                    continue;
                }
                JsonNode event = json.readTree(r.value());
                if (r.topic().equals(topics.progress())) {
                    bar.show(event.path("done").asInt(), event.path("failed").asInt(), event.path("total").asInt(),
                            event.path("pages").path("done").asInt(), event.path("pages").path("total").asInt());
                } else {
                    bar.finish();
                    return event;
                }
            }
        }
        bar.finish();
        return null;
    }

    private KafkaConsumer<byte[], byte[]> follower() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "image-worker-submit");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "image-worker-submit");
        return new KafkaProducer<>(props, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    static List<Path> images(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new IOException("no such file or folder: " + p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).filter(f -> contentType(f) != null).sorted().toList();
        }
    }

    private static String relative(Path root, Path file) {
        Path base = Files.isDirectory(root) ? root : root.getParent();
        Path rel = base == null ? file.getFileName() : base.relativize(file);
        if (Files.isDirectory(root) && root.getFileName() != null) {
            rel = root.getFileName().resolve(rel);
        }
        return rel.toString().replace('\\', '/');
    }

    static String contentType(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".gif")) {
            return "image/gif";
        }
        if (n.endsWith(".bmp")) {
            return "image/bmp";
        }
        if (n.endsWith(".tif") || n.endsWith(".tiff")) {
            return "image/tiff";
        }
        return null;
    }
}
