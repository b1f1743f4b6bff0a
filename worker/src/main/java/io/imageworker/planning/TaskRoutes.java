package io.imageworker.planning;

import io.imageworker.events.JobRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a job is served: by this worker, by another pool (its jobs topic), or nowhere (refused
 * with the reason). Decided from the job's task alone, so the producer never needs to know about
 * pools: a job goes to the first pool (by name) whose tasks hold every task it needs, else it is
 * served here when this worker serves them all, else refused. A job already routed once is never
 * routed again (no loops): it is served here or refused.
 *
 * <p>The tasks a job needs: its own; for {@code annotate} also the task answering each Cloud Vision
 * feature it asks for (a feature type no task of the application answers needs none: it is
 * answered {@code not-available} wherever the job runs, as without pools).
 */
public final class TaskRoutes {

    /** Header of a routed record: where the router consumed it ({@code topic/partition@offset}). */
    public static final String ROUTED_FROM = "x-image-worker-routed-from";

    /** Header of a routed record: the name of the pool it was routed to. */
    public static final String ROUTED_TO = "x-image-worker-pool";

    private static final String POOL_NAME = "[a-z0-9]{1,32}";

    /**
     * One pool of workers.
     *
     * @param name the pool's name
     * @param topic its jobs topic
     * @param tasks the tasks it serves
     */
    public record Pool(String name, String topic, Set<String> tasks) {}

    /** Where one job goes: {@link Serve}, {@link Forward} or {@link Refuse}. */
    public sealed interface Route permits Serve, Forward, Refuse {}

    /** Served by this worker. */
    public record Serve() implements Route {}

    /** Forwarded to {@code pool}'s jobs topic. */
    public record Forward(Pool pool) implements Route {}

    /** Served by no worker reachable from here; {@code reason} says what it needs and who serves what. */
    public record Refuse(String reason) implements Route {}

    private final Set<String> served;
    private final Set<String> known;
    private final List<Pool> pools;
    private final Map<String, String> taskByFeature;

    /**
     * @param served the tasks this worker serves
     * @param pools the other pools ({@code image-worker.routing.pools}), in any order; tried by name
     * @param known every task name of the application
     * @param taskByFeature the task answering each Cloud Vision feature type
     * @param ownTopic the jobs topic this worker consumes: no pool may have it (a job would come back)
     * @throws IllegalArgumentException naming the pool and what is wrong with it
     */
    public TaskRoutes(Collection<String> served, Collection<Pool> pools, Collection<String> known,
            Map<String, String> taskByFeature, String ownTopic) {
        this.served = Set.copyOf(served);
        this.known = Set.copyOf(known);
        this.taskByFeature = Map.copyOf(taskByFeature);
        for (Pool p : pools) {
            String where = "image-worker.routing.pools." + p.name();
            if (!p.name().matches(POOL_NAME)) {
                throw new IllegalArgumentException(where + ": a pool name is 1-32 lower-case letters and digits (it is"
                        + " also part of an environment variable name)");
            }
            if (p.topic() == null || p.topic().isBlank() || p.topic().equals(ownTopic)) {
                throw new IllegalArgumentException(where + ".topic: '" + p.topic() + "' must name the pool's own jobs"
                        + " topic, not this worker's (" + ownTopic + ")");
            }
            if (p.tasks().isEmpty() || !known.containsAll(p.tasks())) {
                Set<String> unknown = new TreeSet<>(p.tasks());
                unknown.removeAll(known);
                throw new IllegalArgumentException(where + ".tasks: " + (p.tasks().isEmpty() ? "names no task"
                        : unknown + " are no tasks of this application " + new TreeSet<>(known)));
            }
        }
        this.pools = pools.stream().sorted(Comparator.comparing(Pool::name)).toList();
    }

    /** Routes that serve here what this worker serves and refuse the rest: a worker without pools. */
    public static TaskRoutes none(Collection<String> served, Collection<String> known, Map<String, String> taskByFeature) {
        return new TaskRoutes(served, List.of(), known, taskByFeature, null);
    }

    /** The pools jobs may be forwarded to, by name. */
    public List<Pool> pools() {
        return pools;
    }

    /**
     * Where {@code job} goes.
     *
     * @param routedFrom where an earlier router consumed the record ({@link #ROUTED_FROM}), or null
     *     when it was never routed: then it is not routed again
     * @return {@link Serve} also for a task the application does not have: planning refuses it as an
     *     invalid job, as without pools
     */
    public Route route(JobRequest job, String routedFrom) {
        if (!known.contains(job.task())) {
            return new Serve();
        }
        Set<String> needed = needs(job);
        if (routedFrom == null) {
            for (Pool p : pools) {
                if (p.tasks().containsAll(needed)) {
                    return new Forward(p);
                }
            }
        }
        if (served.containsAll(needed)) {
            return new Serve();
        }
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(served);
        String what = JobRequest.ANNOTATE.equals(job.task()) && needed.size() > 1
                ? "an annotate job with these features needs the tasks " + needed + " in one worker"
                : "task '" + job.task() + "' is not served by this worker";
        StringBuilder reason = new StringBuilder(what).append(" (it serves ").append(new TreeSet<>(served))
                .append(", not ").append(missing).append(")");
        if (routedFrom != null) {
            reason.append("; the job was routed here from ").append(routedFrom).append(" and is not routed again");
        } else if (pools.isEmpty()) {
            reason.append(" and no pool is configured to route it to (image-worker.routing.pools)");
        } else {
            reason.append(" and no pool serves ").append(needed.size() > 1 ? "them all" : "it").append(": ");
            List<String> listed = new ArrayList<>();
            pools.forEach(p -> listed.add(p.name() + " " + new TreeSet<>(p.tasks())));
            reason.append(String.join(", ", listed));
        }
        return new Refuse(reason.toString());
    }

    /** The tasks {@code job} needs in one worker. */
    Set<String> needs(JobRequest job) {
        Set<String> needed = new TreeSet<>();
        needed.add(job.task());
        if (JobRequest.ANNOTATE.equals(job.task())) {
            List<JobRequest.Feature> asked = new ArrayList<>(job.features() == null ? List.of() : job.features());
            if (job.inputs() != null) {
                job.inputs().forEach(in -> {
                    if (in.features() != null) {
                        asked.addAll(in.features());
                    }
                });
            }
            for (JobRequest.Feature f : asked) {
                String task = JobPlanner.answering(taskByFeature, f.type());
                if (task != null) {
                    needed.add(task);
                }
            }
        }
        return needed;
    }
}
