package io.imageworker.publish;

import io.imageworker.intake.TransactionalCommits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Exactly-once delivery of the events that answer jobs (results, dead letters): a transactional
 * producer whose transactions also commit the job consumer's offsets.
 *
 * <p>A job's answers are <em>staged</em> here, keyed by the job record (topic, partition, offset),
 * and its future completes at once; the consumer then counts the record as finished. When the
 * consumer commits offset {@code n} of a partition, {@link #commit} runs one transaction: it
 * produces the staged answers of every record below {@code n}, adds the offsets
 * ({@code sendOffsetsToTransaction} with the consumer's group metadata) and commits. A crash before
 * the commit leaves neither the answers nor the offsets (the records are consumed again and
 * answered in a new transaction); after it, both. Answers of jobs that finished beyond one still
 * running wait here until the offsets below them are contiguous, so no transaction ever holds an
 * answer whose offset it does not commit.
 *
 * <p>Only the consumer's thread calls the producer (begin, send, commit, abort); jobs' threads only
 * stage, under this object's lock. The producer's {@code transactional.id} is fixed per worker: a
 * restarted worker with the same id fences its predecessor and aborts the transaction it left open.
 * Two live workers must not share one.
 */
public final class TransactionalPublisher implements Publisher, TransactionalCommits, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransactionalPublisher.class);

    /** An event staged for a transaction; {@code refusals} counts commits the broker refused it in. */
    private static final class Staged {
        final ProducerRecord<byte[], byte[]> record;
        int refusals;

        Staged(ProducerRecord<byte[], byte[]> record) {
            this.record = record;
        }
    }

    private final Map<String, Object> props;
    private final String transactionalId;
    private final int maxRefusals;
    /** Per partition of the jobs topic: record offset to the events answering it. Guarded by {@code this}. */
    private final Map<TopicPartition, NavigableMap<Long, List<Staged>>> staged = new HashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private long transactions;

    /**
     * Creates the producer and registers its transactional id with the broker
     * ({@code initTransactions}: aborts what an earlier producer with this id left open).
     *
     * @param kafka Kafka client properties (bootstrap servers, security); copied, not modified.
     *     {@code acks=all}, idempotence, the transactional id and timeout are always set; {@code
     *     linger.ms} 5, {@code lz4} and client id {@code image-worker-events-tx} only when unset
     * @param transactionalId unique among live workers, stable across one worker's restarts
     * @param transactionTimeout how long the broker keeps a transaction open without an end; a
     *     worker that died mid-commit holds back {@code read_committed} readers of its topics that long
     * @param maxRefusals commits an event may be refused in outright (too large, a topic it may not
     *     write) before it is dropped with an error, so one bad event cannot block every commit
     */
    public TransactionalPublisher(Map<String, Object> kafka, String transactionalId, Duration transactionTimeout,
            int maxRefusals) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "image-worker-events-tx");
        this.props = p;
        this.transactionalId = transactionalId;
        this.maxRefusals = maxRefusals;
        this.producer = open();
    }

    private KafkaProducer<byte[], byte[]> open() {
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    /** The underlying client, for metrics binding only. */
    public KafkaProducer<byte[], byte[]> client() {
        return producer;
    }

    /** Transactions committed so far. */
    public synchronized long transactions() {
        return transactions;
    }

    /**
     * Every event of this publisher answers a record: use {@link #answering}. Completes
     * exceptionally.
     */
    @Override
    public CompletableFuture<Void> send(String topic, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers) {
        return CompletableFuture.failedFuture(new IllegalStateException(
                "an exactly-once event must answer a consumed record (Publisher.answering)"));
    }

    /** Stages the events answering the record; each send completes once staged. */
    @Override
    public Publisher answering(String topic, int partition, long offset) {
        TopicPartition source = new TopicPartition(topic, partition);
        return (to, key, value, raw) -> {
            List<Header> headers = new ArrayList<>(raw.size());
            raw.forEach(h -> headers.add(new RecordHeader(h.getKey(), h.getValue())));
            Staged s = new Staged(new ProducerRecord<>(to, null, key, value, headers));
            synchronized (this) {
                staged.computeIfAbsent(source, k -> new TreeMap<>()).computeIfAbsent(offset, k -> new ArrayList<>()).add(s);
            }
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public synchronized void attemptStarts(TopicPartition tp, long offset) {
        NavigableMap<Long, List<Staged>> part = staged.get(tp);
        if (part != null) {
            part.remove(offset);
        }
    }

    @Override
    public synchronized void forget(Collection<TopicPartition> parts) {
        parts.forEach(staged::remove);
    }

    /** Events staged and not yet committed, on all partitions. */
    public synchronized int stagedEvents() {
        return staged.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum();
    }

    @Override
    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group,
            Function<Set<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> committed) {
        List<Staged> out = new ArrayList<>();
        synchronized (this) {
            offsets.forEach((tp, om) -> {
                NavigableMap<Long, List<Staged>> part = staged.get(tp);
                if (part != null) {
                    part.headMap(om.offset(), false).values().forEach(out::addAll);
                }
            });
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(out.size());
        if (producer == null) {
            producer = open(); // an earlier restart of the producer failed (broker away): try again
        }
        try {
            producer.beginTransaction();
            for (Staged s : out) {
                sent.add(producer.send(s.record));
            }
            producer.sendOffsetsToTransaction(offsets, group);
        } catch (KafkaException e) {
            failed(e, out, sent);
            throw e;
        }
        try {
            producer.commitTransaction();
        } catch (TimeoutException | InterruptException e) {
            // The outcome is unknown: the commit may have reached the coordinator. A new producer with the same id
            // finishes (or aborts) it; the group's committed offsets, read stable, then say which.
            reopen(e);
            if (!landed(offsets, committed)) {
                throw e;
            }
        } catch (KafkaException e) {
            failed(e, out, sent);
            throw e;
        }
        synchronized (this) {
            transactions++;
            offsets.forEach((tp, om) -> {
                NavigableMap<Long, List<Staged>> part = staged.get(tp);
                if (part != null) {
                    part.headMap(om.offset(), false).clear();
                }
            });
        }
    }

    /** True when the group's committed offsets are at or past {@code offsets}: the transaction committed. */
    private static boolean landed(Map<TopicPartition, OffsetAndMetadata> offsets,
            Function<Set<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> committed) {
        Map<TopicPartition, OffsetAndMetadata> now = committed.apply(offsets.keySet());
        boolean landed = offsets.entrySet().stream().allMatch(e -> {
            OffsetAndMetadata c = now.get(e.getKey());
            return c != null && c.offset() >= e.getValue().offset();
        });
        LOG.warnf("a transaction's commit timed out; the group's offsets show it %s", landed ? "committed" : "did not commit");
        return landed;
    }

    /** An event the broker refused outright (not a retriable error) is counted; after {@code maxRefusals} it is dropped. */
    /**
     * A transaction that failed: errors that leave the producer unusable (fenced, out of sequence, not
     * authorised, unsupported) replace it; any other aborts the transaction and counts the answers the
     * broker refused. The caller rethrows, so the staged answers are not cleared.
     */
    private void failed(KafkaException e, List<Staged> out, List<Future<RecordMetadata>> sent) {
        if (e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException || e instanceof UnsupportedVersionException
                || e instanceof InvalidProducerEpochException) {
            reopen(e);
        } else {
            abort(e);
            countRefusals(out, sent);
        }
    }

    private void countRefusals(List<Staged> out, List<Future<RecordMetadata>> sent) {
        List<Staged> dropped = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Throwable error = failure(sent.get(i));
            if (error != null && !(error instanceof RetriableException) && ++out.get(i).refusals >= maxRefusals) {
                LOG.errorf("event for %s (key %s) refused by the broker in %d transactions (%s): dropped",
                        out.get(i).record.topic(), out.get(i).record.key() == null ? null : new String(out.get(i).record.key(),
                                java.nio.charset.StandardCharsets.UTF_8), maxRefusals, error.toString());
                dropped.add(out.get(i));
            }
        }
        if (!dropped.isEmpty()) {
            synchronized (this) {
                staged.values().forEach(part -> part.values().forEach(list -> list.removeIf(dropped::contains)));
            }
        }
    }

    private static Throwable failure(Future<RecordMetadata> f) {
        if (!f.isDone()) {
            return null;
        }
        try {
            f.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    private void abort(KafkaException cause) {
        LOG.warnf("transaction aborted (%s); its events are produced again in the next one", cause.toString());
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            reopen(e);
        }
    }

    /** The producer cannot go on (fenced, or in an unknown state): a new one with the same id takes over. */
    private void reopen(KafkaException cause) {
        if (cause instanceof ProducerFencedException) {
            LOG.errorf("producer with transactional id %s was fenced: another producer with this id started (a newer "
                    + "instance of this worker, or a second worker with the same id); starting a new one", transactionalId);
        } else {
            LOG.warnf("transactional producer %s restarts after %s", transactionalId, cause.toString());
        }
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing the old producer failed", e);
        }
        producer = null;
        producer = open();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
