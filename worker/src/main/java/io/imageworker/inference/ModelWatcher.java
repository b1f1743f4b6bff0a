package io.imageworker.inference;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads the model repository again every {@code interval} ({@code image-worker.models.poll-interval})
 * and lets the {@link ModelServer} move to new versions ({@link ModelServer#refresh}), on one
 * daemon thread. A refresh that fails (the repository cannot be listed) is logged and tried again
 * at the next tick; versions refused once are not tried again by polling.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelWatcher.class);

    private final ScheduledExecutorService timer;

    private ModelWatcher(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Starts polling; the first scan runs one interval from now.
     *
     * @param interval time between the end of one scan and the start of the next; zero or negative:
     *     no polling (the returned watcher does nothing)
     */
    public static ModelWatcher start(ModelServer server, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return new ModelWatcher(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                ModelServer.Refresh r = server.refresh(false);
                if (!r.changes().isEmpty()) {
                    LOG.infof("model repository changed: %s", r.changes());
                }
            } catch (Exception e) {
                // A transient listing error must not end the schedule (an exception would cancel it).
                LOG.warnf("reading the model repository for new versions failed: %s", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        LOG.infof("polling the model repository for new versions every %s", interval);
        return new ModelWatcher(timer);
    }

    /** True when this watcher polls (its interval was positive). */
    public boolean polling() {
        return timer != null;
    }

    /** Stops polling; a scan in progress finishes first (up to 30 s). */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
