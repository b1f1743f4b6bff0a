package io.imageworker.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fresh jobs, results, dead-letter and progress topics for one test of a packaged worker process,
 * and the environment that points a worker at them (its consumer group named after the jobs topic),
 * so that tests sharing the broker never read each other's records.
 *
 * @param jobs the jobs topic
 * @param results the results topic
 * @param deadLetter the dead-letter topic
 * @param progress the progress topic
 */
public record WorkerTopics(String jobs, String results, String deadLetter, String progress) {

    /** Creates {@code <prefix>-<random>-jobs} and its three siblings with {@code partitions} partitions each. */
    public static WorkerTopics create(LocalStack stack, String prefix, int partitions) {
        String t = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        WorkerTopics topics = new WorkerTopics(t + "-jobs", t + "-results", t + "-dlq", t + "-progress");
        stack.createTopics(List.of(topics.jobs, topics.results, topics.deadLetter, topics.progress), partitions);
        return topics;
    }

    /** The worker environment for these topics, plus {@code extra} (which wins). */
    public Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("IMAGE_WORKER_TOPICS_JOBS", jobs);
        env.put("IMAGE_WORKER_TOPICS_RESULTS", results);
        env.put("IMAGE_WORKER_TOPICS_DEAD_LETTER", deadLetter);
        env.put("IMAGE_WORKER_TOPICS_PROGRESS", progress);
        env.put("IMAGE_WORKER_CONSUMER_GROUP_ID", jobs + "-group");
        env.putAll(extra);
        return env;
    }

    /** A name for the worker process: {@code id} and the jobs topic. */
    public String name(String id) {
        return id + "-" + jobs;
    }
}
