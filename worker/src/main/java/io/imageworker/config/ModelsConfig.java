package io.imageworker.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where models come from and which serves each task by default. */
public interface ModelsConfig {
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
