package io.imageworker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the worker, under {@code image-worker.}; each can also be set from the
 * environment ({@code image-worker.limits.max-pixels} is {@code IMAGE_WORKER_LIMITS_MAX_PIXELS}).
 * Kafka connection settings (bootstrap servers, security) are the standard client properties under
 * {@code kafka.} ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SASL_MECHANISM} ...). The
 * configuration reference (docs/configuration.md) is checked against this interface by a test.
 */
@ConfigMapping(prefix = "image-worker")
public interface WorkerConfig {

    /** Identity of this worker in result events and logs. */
    @WithName("id")
    Optional<String> workerId();

    /**
     * The tasks this worker serves, by name ({@code classify,text}): it loads, warms up and reports
     * ready for only their default models (and the companion models those name), and refuses, or
     * routes (see {@link #routing()}), a job of any other task. Unset: every task of the application.
     *
     * <p>A name that is no task of the application stops the start.
     */
    Optional<List<String>> tasks();

    /** Where jobs of tasks served elsewhere go: {@code image-worker.routing.*}. */
    Routing routing();

    /** Topic names: {@code image-worker.topics.*}. */
    Topics topics();

    /**
     * How result events and dead letters are delivered: {@code at-least-once} (a job's offset is
     * committed after its events are acknowledged; a crash can repeat some) or {@code exactly-once}
     * (events and offsets commit in one Kafka transaction; {@code read_committed} readers see one
     * answer per job, crashes included). Object-store writes are at-least-once either way.
     */
    @WithDefault("at-least-once")
    Delivery delivery();

    /** Kafka transactions of exactly-once delivery: {@code image-worker.transactions.*}. */
    Transactions transactions();

    /** Job consumption: {@code image-worker.consumer.*}. */
    Consumer consumer();

    /** Object storage: {@code image-worker.storage.*}. */
    Storage storage();

    /** Resource limits: {@code image-worker.limits.*}. */
    Limits limits();

    /** Model repository and task defaults: {@code image-worker.models.*}. */
    Models models();

    /** Dynamic batching: {@code image-worker.batching.*}. */
    Batching batching();

    /** Inference device: {@code image-worker.inference.*}. */
    Inference inference();

    /** Progress events: {@code image-worker.progress.*}. */
    Progress progress();

    /** Files beside result.json: {@code image-worker.results.*}. */
    Results results();

    /** Fault injection for tests: {@code image-worker.faults.*}. */
    Faults faults();

    /** Object-storage event notifications as jobs: {@code image-worker.notifications.*}. */
    Notifications notifications();

    /** CloudEvents attributes of the events the worker publishes: {@code image-worker.cloudevents.*}. */
    CloudEvents cloudevents();

    /** Delivery guarantee of the events that answer jobs. */
    enum Delivery {
        /** Events acknowledged, then offsets committed: nothing lost, a crash may repeat answers. */
        AT_LEAST_ONCE,
        /** Events and offsets in one transaction: one answer per job for {@code read_committed} readers. */
        EXACTLY_ONCE
    }

    /** The transactional producer of {@code exactly-once} delivery. */
    interface Transactions {
        /**
         * Prefix of the producer's {@code transactional.id}, which is {@code <prefix>-<worker id>}:
         * unique per live worker, the same across one worker's restarts (so a restart fences the
         * dead instance and aborts its open transaction at once).
         */
        @WithDefault("image-worker")
        String idPrefix();

        /**
         * Broker-side limit on an open transaction ({@code transaction.timeout.ms}); a worker that died
         * inside a commit holds back {@code read_committed} readers of its partitions at most this long.
         * Transactions open only while a commit runs (milliseconds).
         */
        @WithDefault("15s")
        Duration timeout();
    }

    /**
     * Routing by task: a worker that consumes the shared jobs topic forwards a job to the pool that
     * serves its task (the record as it came: key, value, headers, with the routing in two more
     * headers), in the same transaction as its offset in exactly-once mode. A job another worker
     * routed already is never routed again.
     */
    interface Routing {
        /**
         * The other pools by name (lower-case letters and digits, so that each has an environment
         * variable name): their jobs topic and the tasks they serve. Empty: nothing is routed; a job
         * of a task this worker does not serve is dead-lettered ({@code not-served}).
         */
        Map<String, Pool> pools();

        /** One pool of workers that serves some tasks from its own jobs topic. */
        interface Pool {
            /** The pool's jobs topic, which its workers consume; never this worker's own jobs topic. */
            String topic();

            /**
             * The tasks the pool serves ({@code text,faces}); a job goes to the first pool (by name)
             * that serves its task, an {@code annotate} job to one that serves {@code annotate} and
             * the task of every feature it asks for.
             */
            List<String> tasks();
        }
    }

    /** Kafka topics the worker reads and writes. */
    interface Topics {
        /** Job events in. */
        @WithDefault("image-jobs")
        String jobs();

        /** Result events out (one terminal event per job attempt, keyed by job id). */
        @WithDefault("image-results")
        String results();

        /** Events that could not be accepted, with the original bytes and the reason in headers. */
        @WithDefault("image-jobs-dlq")
        String deadLetter();

        /** Progress events of long jobs. */
        @WithDefault("image-progress")
        String progress();
    }

    /** How the worker consumes {@code image-jobs}. */
    interface Consumer {
        /** Consumer group: workers in one group share the partitions. */
        @WithDefault("image-worker")
        String groupId();

        /**
         * Times a job may be attempted before it goes to the dead-letter topic ({@code attempts-exhausted}).
         * Counts starts that took the worker down (a crash, an out-of-memory kill: after a crash the
         * jobs that were in flight run again one at a time) and, separately, handling that failed
         * with an error (a bug, an event the code chokes on), retried with backoff from 0.5 s. A
         * broker that cannot take the result for a while is not counted: the job waits for it.
         */
        @WithDefault("3")
        int maxAttempts();

        /** Interval between commits of the offsets of finished jobs. */
        @WithDefault("1s")
        Duration commitInterval();

        /**
         * On shutdown or partition revocation, how long to let jobs in flight finish before handing
         * them back uncommitted (they are then redelivered).
         */
        @WithDefault("20s")
        Duration shutdownGrace();
    }

    /** Object storage (S3 or any S3-compatible server). Credentials come from the AWS SDK's default chain. */
    interface Storage {
        /** Endpoint of an S3-compatible server; unset for AWS S3. */
        Optional<String> endpoint();

        /** Region for request signing. */
        @WithDefault("us-east-1")
        String region();

        /** Path-style addressing (needed by most S3-compatible servers). */
        @WithDefault("false")
        boolean pathStyle();

        /** Buckets jobs may read inputs from; an input anywhere else is refused. */
        @WithDefault("images")
        List<String> inputBuckets();

        /** Where a job's artifacts go when it names no output: {@code <output-uri><jobId>/}. */
        @WithDefault("s3://results/jobs/")
        String outputUri();

        /** Prefixes a job may name as its output; the default output location is always allowed. */
        Optional<List<String>> allowedOutputPrefixes();

        /** Fetches in flight at once, across all jobs. */
        @WithDefault("16")
        int fetchConcurrency();

        /** Attempts per S3 call (the SDK retries with exponential backoff and full jitter). */
        @WithDefault("4")
        int maxAttempts();

        /** Limit on one S3 call, all its retries included, so that nothing waits forever. */
        @WithDefault("60s")
        Duration callTimeout();

        /**
         * Whether the store honours {@code If-None-Match: *} on PUT (S3 conditional writes): a job that
         * writes nothing but result.json then creates it conditionally instead of a HEAD before its
         * work. {@code auto} asks the store once at start (a probe object under the output URI).
         */
        @WithDefault("auto")
        ConditionalWrites conditionalWrites();
    }

    /** Whether the object store's conditional writes are used. */
    enum ConditionalWrites {
        /** Probed at start: a second conditional PUT of the same key must be refused with 412. */
        AUTO,
        /** The store honours them (AWS S3 since 2024, MinIO, s3proxy 4.1): no probe. */
        ON,
        /** Never used: every job checks for an earlier result.json with a HEAD before its work. */
        OFF
    }

    /** Resource limits: what one job or one object may cost. */
    interface Limits {
        /** Largest job event accepted, in bytes. */
        @WithDefault("1048576")
        int maxEventBytes();

        /**
         * Largest result event, in bytes; a larger one leaves its items out ({@code itemsOmitted})
         * and points at result.json. Keep it under the broker's {@code message.max.bytes}.
         */
        @WithDefault("262144")
        int maxResultEventBytes();

        /** Most inputs one job may name or list from a prefix. */
        @WithDefault("10000")
        int maxInputsPerJob();

        /** Largest object fetched, in bytes (checked before downloading). */
        @WithDefault("20971520")
        long maxObjectBytes();

        /** Largest image decoded, in pixels (checked from the header before decoding). */
        @WithDefault("40000000")
        long maxPixels();

        /** Jobs in flight per worker; beyond it the consumer pauses. */
        @WithDefault("64")
        int maxInFlightJobs();

        /** Items (images) in flight per worker, fetched or queued for a model; beyond it intake waits. */
        @WithDefault("512")
        int maxInFlightItems();
    }

    /** Where models come from and which serves each task by default. */
    interface Models {
        /**
         * Model repository: comma-separated locations searched in order, each a folder of
         * {@code <name>/<version>/}, an {@code s3://} prefix of the same layout (downloaded on first
         * use), or {@code classpath} for the models built into the application.
         */
        @WithDefault("classpath")
        String repository();

        /**
         * Default model of a task's jobs by task name ({@code image-worker.models.default.classify=name:version});
         * a task not named here serves the model its package declares (classify {@code mnist-cnn-bn},
         * segment {@code mnist-seg-deeplab}, localize {@code mnist-cam}, generate {@code mnist-dcgan}).
         */
        @WithName("default")
        Map<String, String> defaults();

        /**
         * Tasks whose default model is loaded and warmed up (every batch size run once) before the
         * worker reports ready; the others load on their first job, which then waits for it. Unset:
         * every served task that has a default model.
         */
        Optional<List<String>> preload();

        /** Folder where model files are unpacked or downloaded before loading. */
        Optional<String> cacheDir();

        /**
         * How often the repository is read again for new model versions while the worker runs (a
         * model served by name moves to its highest version once that loads, warms up and passes
         * its card's check); 0 turns polling off ({@code POST /admin/models/refresh} still works).
         */
        @WithDefault("30s")
        Duration pollInterval();
    }

    /** Dynamic batching, per model unless overridden in {@code per-model}. */
    interface Batching {
        /** Largest batch. */
        @WithDefault("64")
        int maxBatchSize();

        /** How long the first item of a batch may wait for more to arrive. */
        @WithDefault("5ms")
        Duration maxQueueDelay();

        /**
         * Time each model at warm-up and keep what serves the most items per second: batch sizes 1,
         * 2, 4 ... up to its largest batch (the smallest within 5% of the best is kept), then 2 ...
         * {@code max-inference-threads} threads for models whose engine takes concurrent calls (ONNX
         * Runtime). The choice is logged and exported as metrics. False: batches up to the largest
         * batch on one thread.
         */
        @WithDefault("true")
        boolean measure();

        /**
         * Most threads calling one ONNX model at once, each with its own predictor; unset: the
         * number of CPUs, at most 4. With {@code measure=false}, the number of threads that serve
         * each ONNX model (unset: 1). The project's MXNet models always have one.
         */
        Optional<Integer> maxInferenceThreads();

        /**
         * Most native memory one model's warm-up may leave held (its arrays, the engine's pools and
         * caches at the batch sizes it ran; the weights are not counted): the batch-size search
         * does not try a size whose memory, extrapolated from the smaller ones, passes it. Batch 1
         * is always served. 0: no bound. The default keeps every default model of a worker within
         * the chart's memory limit (docs/memory.md).
         */
        @WithDefault("128M")
        io.quarkus.runtime.configuration.MemorySize maxModelMemory();

        /**
         * Folder where each model's warm-up choice (batch size, threads) is kept between starts and
         * reused while its key holds: the model's files (sha256), engine, device, CPU model, cores,
         * engine threads and these settings; anything else is measured afresh. Unset: the models'
         * cache folder's {@code warm-up-choices}; {@code none}: measure at every start.
         */
        Optional<String> choicesDir();

        /** Per-model overrides of the batch size and queue delay, and of ONNX intra-op threads, keyed by model name. */
        Map<String, ModelBatching> perModel();

        /** Batching settings for one model. */
        interface ModelBatching {
            /**
             * Largest batch for this model; unset: {@code image-worker.batching.max-batch-size}.
             */
            Optional<Integer> maxBatchSize();

            /**
             * How long this model's first item of a batch may wait for more; unset:
             * {@code image-worker.batching.max-queue-delay}.
             */
            Optional<Duration> maxQueueDelay();

            /**
             * Threads inside one ONNX Runtime call of this model (its intra-op pool); unset:
             * {@code image-worker.inference.onnx-intra-op-threads}.
             */
            Optional<Integer> onnxIntraOpThreads();

            /** This model's {@code image-worker.batching.max-model-memory}. */
            Optional<io.quarkus.runtime.configuration.MemorySize> maxModelMemory();
        }
    }

    /** Where models run. */
    interface Inference {
        /**
         * {@code auto}, {@code cpu}, or {@code gpu:N} ({@code gpu} = {@code gpu:0}), chosen per engine at
         * start: ONNX models run on the GPU when ONNX Runtime's CUDA provider can (the GPU build),
         * MXNet models when the MXNet engine sees a GPU (a CUDA libmxnet). {@code auto} falls back to
         * the CPU with a logged reason; an explicit {@code gpu:N} stops the start when ONNX Runtime
         * cannot use that GPU, and leaves MXNet models on the CPU (logged) when MXNet sees none.
         */
        @WithDefault("auto")
        String device();

        /** Per-model overrides of the device, keyed by model name. */
        Map<String, ModelInference> perModel();

        /** Device override for one model. */
        interface ModelInference {
            /**
             * {@code auto}, {@code cpu} or {@code gpu:N} for this model; unset: the engine's choice from
             * {@code image-worker.inference.device}. An explicit GPU that the model's engine cannot
             * use fails the model's load.
             */
            Optional<String> device();
        }

        /**
         * Threads one ONNX Runtime call uses inside the engine (its intra-op pool). 1: on small CPUs
         * two callers with one thread each serve more than one caller with two (field notes,
         * measured on PP-OCRv4 and BlazeFace); the number of callers is measured at warm-up.
         */
        @WithDefault("1")
        int onnxIntraOpThreads();

        /**
         * ONNX Runtime's CPU memory arena. Off: the arena keeps the most memory any call used, in
         * powers of two, for the session's life (the text detector's first call alone left 439 MiB
         * held); without it, memory follows the calls. See docs/memory.md.
         */
        @WithDefault("false")
        boolean onnxCpuArena();
    }

    /** Progress events for long jobs. */
    interface Progress {
        /** Least time between two progress events of one job. */
        @WithDefault("2s")
        Duration interval();

        /** Jobs with fewer items than this publish no progress events. */
        @WithDefault("100")
        int minItems();
    }

    /** The files written beside each job's result.json. */
    interface Results {
        /** Write report.html (a contact sheet of the job) for jobs of at least {@link #reportMinItems} items. */
        @WithDefault("true")
        boolean report();

        /**
         * Write report.html only for jobs with at least this many items: a one-image contact sheet
         * says nothing result.json does not, and costs a PUT per job.
         */
        @WithDefault("2")
        int reportMinItems();

        /**
         * Write items.jsonl (one item per line) for jobs with at least this many items; smaller jobs
         * have all their items in result.json and the event anyway.
         */
        @WithDefault("2")
        int itemsFileMinItems();
    }

    /** Fault injection for the crash-recovery tests; never set these in production. */
    interface Faults {
        /**
         * When an input URI contains this text, the worker halts the JVM at once as it starts that
         * item, as a native crash in the engine would.
         */
        Optional<String> haltOnInput();

        /**
         * When true, a job event with the header {@code x-image-worker-fault} naming an intake step
         * ({@code headers}, {@code parse}, {@code trace}, {@code accept}, {@code plan}, {@code publish},
         * {@code dead-letter}) makes the worker throw there, as a bug there would.
         */
        @WithDefault("false")
        boolean intake();
    }

    /**
     * S3 event notifications (the {@code {"Records":[...]}} documents AWS S3 writes and MinIO's Kafka
     * target publishes) read from a topic and turned into jobs by rules per bucket and key prefix.
     */
    interface Notifications {
        /** Topic of the notification records; unset: notifications are not read. */
        Optional<String> topic();

        /**
         * Key endings (compared ignoring case) of the objects that are images; a created object whose
         * key ends otherwise is skipped ({@code not-an-image}).
         */
        @WithDefault(".jpg,.jpeg,.png,.gif,.bmp,.webp,.tif,.tiff")
        List<String> imageSuffixes();

        /**
         * Rules by name (letters and digits, so that each also has an environment variable name):
         * which objects become jobs, and what job. An object matches the rule of its bucket with the
         * longest prefix of its key; an object no rule matches is skipped ({@code no-rule}).
         */
        Map<String, Rule> rules();

        /** One bucket (and key prefix) whose new objects become jobs, and the job they become. */
        interface Rule {
            /** Bucket whose notifications this rule serves; must be one of the input buckets. */
            String bucket();

            /** Key prefix (decoded, as the object's key reads) the rule is limited to; unset: the whole bucket. */
            Optional<String> prefix();

            /** Task of the jobs. */
            String task();

            /** Model of the jobs ({@code name} or {@code name:version}); unset: the task's default. */
            Optional<String> model();

            /** Task options of the jobs, as a JSON object ({@code {"topK":3}}); unset: the task's defaults. */
            Optional<String> options();

            /**
             * {@code s3://} prefix under which each job's artifacts go, as {@code <output><jobId>/}; it
             * must lie under an allowed output prefix. Unset: the default output location.
             */
            Optional<String> output();

            /** Priority of the jobs, 0-9 (higher first when the batch queues are busy). */
            @WithDefault("0")
            int priority();
        }
    }

    /**
     * The CloudEvents attributes (Kafka protocol binding, binary mode: {@code ce_*} headers) that
     * result and progress events carry.
     */
    interface CloudEvents {
        /** The events' {@code source} attribute, a URI reference; unset: {@code /image-worker/<worker id>}. */
        Optional<String> source();
    }
}
