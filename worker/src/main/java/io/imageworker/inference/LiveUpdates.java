package io.imageworker.inference;

import io.imageworker.inference.ModelServer.Change;
import io.imageworker.inference.ModelServer.Refresh;
import io.imageworker.inference.ModelServer.UpdateCheck;
import io.imageworker.inference.ModelServer.UpdateObserver;
import io.imageworker.models.ModelRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The live updates of a {@link ModelServer} ({@link ModelServer#refresh}): a new version is loaded,
 * warmed up and, when its card asks, measured against its bars beside the one serving, then
 * swapped in; the version it replaces drains and closes. Keeps the versions refused (not tried
 * again unless asked) and those still draining. Shares the server's maps of what serves, and
 * changes them holding the server's lock.
 */
final class LiveUpdates {

    private static final Logger LOG = Logger.getLogger(ModelServer.class);

    /** Longest a new version's warm-up may take before it is refused. */
    static final Duration WARM_UP_LIMIT = Duration.ofMinutes(5);

    private final ModelServer server;
    private final ModelRepository repository;
    private final Map<String, ServedModel<?, ?>> served;
    private final Map<String, ServedModel<?, ?>> byRef;
    private final UpdateObserver updates;
    private final UpdateCheck check;
    /** Version ids refused by a refresh, with the reason: polling does not try them again. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    /** Replaced versions still finishing their jobs. */
    private final Set<ServedModel<?, ?>> draining = ConcurrentHashMap.newKeySet();
    private final Object refreshing = new Object();

    /**
     * @param served the server's loaded versions by id
     * @param byRef the server's resolved references
     */
    LiveUpdates(ModelServer server, ModelRepository repository, Map<String, ServedModel<?, ?>> served,
            Map<String, ServedModel<?, ?>> byRef, UpdateObserver updates, UpdateCheck check) {
        this.server = server;
        this.repository = repository;
        this.served = served;
        this.byRef = byRef;
        this.updates = updates;
        this.check = check;
    }

    /**
     * Reads the repository again and moves each reference by name to its model's highest version,
     * which is loaded, warmed up at every batch size and, when its card asks, measured against its
     * bars before it is swapped in; the version it replaces takes no new jobs, finishes the ones
     * holding it, and closes (unless a pin still names it). A pinned version the repository no
     * longer has is unpinned the same way. A version refused once is not tried again unless
     * {@code retryRefused}.
     *
     * <p>Jobs are not held up: until the swap they get the old version, after it the new one.
     * Refreshes run one at a time.
     *
     * @throws IOException when the repository cannot be listed (nothing changes)
     */
    Refresh refresh(boolean retryRefused) throws IOException {
        synchronized (refreshing) {
            Map<String, List<String>> catalog = repository.catalog();
            List<Change> changes = new ArrayList<>();
            for (String ref : new TreeSet<>(byRef.keySet())) {
                ServedModel<?, ?> current = byRef.get(ref);
                if (current == null) {
                    continue;
                }
                int colon = ref.indexOf(':');
                String name = colon < 0 ? ref : ref.substring(0, colon);
                List<String> versions = catalog.getOrDefault(name, List.of());
                if (colon >= 0) {
                    if (!versions.contains(ref.substring(colon + 1))) {
                        synchronized (server) {
                            byRef.remove(ref, current);
                            retireIfUnnamed(current);
                        }
                        changes.add(new Change(ref, current.card().id(), null, "unpinned", null));
                        LOG.infof("model %s left the repository: unpinned, closes once its jobs finish", ref);
                    }
                    continue;
                }
                if (versions.isEmpty()) {
                    continue; // the name left the repository: nothing better to serve than what serves
                }
                String latest = versions.get(versions.size() - 1);
                if (latest.equals(current.card().version()) || !name.equals(current.card().name())) {
                    continue;
                }
                String id = name + ":" + latest;
                if (refused.containsKey(id) && !retryRefused) {
                    continue;
                }
                Change change = update(ref, current, id);
                if (change != null) {
                    changes.add(change);
                }
            }
            draining.removeIf(m -> m.closed().isDone());
            Map<String, String> serving = new TreeMap<>();
            byRef.forEach((r, m) -> serving.put(r, m.card().id()));
            return new Refresh(changes, serving, draining.stream().map(m -> m.card().id()).sorted().toList());
        }
    }

    /** Brings {@code id} in for {@code ref} in place of {@code current}, or refuses it. */
    private Change update(String ref, ServedModel<?, ?> current, String id) {
        String name = current.card().name();
        String version = id.substring(id.indexOf(':') + 1);
        ServedModel<?, ?> candidate = served.get(id); // already serving through a pin: proven
        boolean fresh = candidate == null;
        String kind = "load";
        try {
            if (fresh) {
                ModelRepository.Resolved resolved = repository.resolve(id);
                if (!resolved.card().task().equals(current.card().task())) {
                    kind = "task";
                    throw new IOException("it does " + resolved.card().task() + ", the version serving does "
                            + current.card().task());
                }
                synchronized (server) {
                    candidate = server.load(resolved);
                }
                kind = "warm-up";
                try {
                    candidate.warmed().get(WARM_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new IOException("warm-up failed: " + cause, cause);
                } catch (TimeoutException e) {
                    throw new IOException("warm-up took longer than " + WARM_UP_LIMIT);
                }
                if (candidate.card().updateCheck() != null) {
                    kind = "metrics";
                    List<String> shortfalls = check == null
                            ? List.of("its card asks for an update check and this worker carries no evaluations (only the tools' serve does: docs/live-updates.md)")
                            : check.shortfalls(candidate.loadedModel(), repository);
                    if (!shortfalls.isEmpty()) {
                        throw new IOException(String.join("; ", shortfalls));
                    }
                }
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (fresh && candidate != null) {
                candidate.close();
            }
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            refused.put(id, kind + ": " + reason);
            updates.refused(name, version, kind);
            try {
                repository.evict(name, version);
            } catch (IOException ex) {
                LOG.debugf(ex, "could not drop the local copy of %s", id);
            }
            LOG.warnf("model %s refused (%s): %s; %s keeps serving %s", id, kind, reason, current.card().id(), ref);
            return new Change(ref, current.card().id(), id, "refused", kind + ": " + reason);
        }
        synchronized (server) {
            if (fresh) {
                served.put(id, candidate);
                updates.serving(name, version, true);
            }
            byRef.put(ref, candidate);
            refused.remove(id);
            retireIfUnnamed(current);
        }
        LOG.infof("model %s now serves %s in place of %s (%d job use(s) of the old version finish on it)", id, ref,
                current.card().id(), Math.max(0, current.uses()));
        return new Change(ref, current.card().id(), id, "updated", null);
    }

    /** Retires {@code old} when no reference names it any more: it closes once its uses end. Holding the lock. */
    private void retireIfUnnamed(ServedModel<?, ?> old) {
        if (byRef.containsValue(old)) {
            return; // a pin (or the other spelling of its name) still serves it
        }
        served.remove(old.card().id(), old);
        updates.serving(old.card().name(), old.card().version(), false);
        draining.add(old);
        old.retire();
        old.closed().thenRun(() -> {
            draining.remove(old);
            LOG.infof("model %s drained and closed", old.card().id());
        });
    }

    /** Version ids replaced and still finishing the jobs that hold them. */
    List<String> draining() {
        draining.removeIf(m -> m.closed().isDone());
        return draining.stream().map(m -> m.card().id()).sorted().toList();
    }

    /** Version ids refused by a refresh, with the kind and message of each refusal. */
    Map<String, String> refused() {
        return new TreeMap<>(refused);
    }

    /** Closes the versions still draining, at once. */
    void close() {
        draining.forEach(ServedModel::close);
        draining.clear();
    }
}
