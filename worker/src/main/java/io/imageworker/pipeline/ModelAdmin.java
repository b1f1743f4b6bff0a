package io.imageworker.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.inference.ModelServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code POST /admin/models/refresh} on the worker's HTTP port (beside {@code /q/health} and
 * {@code /q/metrics}): reads the model repository now instead of at the next poll, tries versions
 * refused before again, and answers with what changed as JSON: {@code changes} (each with
 * {@code ref}, {@code from}, {@code to}, {@code outcome} {@code updated}/{@code refused}/{@code unpinned},
 * {@code reason}), {@code serving} (reference to version) and {@code draining}. 200 when the scan
 * ran (refusals included), 503 while the worker is not running, 502 when the repository cannot be
 * listed. It loads only what the configured repositories hold; it takes no input.
 */
@ApplicationScoped
public class ModelAdmin {

    /** The endpoint's path. */
    public static final String REFRESH = "/admin/models/refresh";

    private static final Logger LOG = Logger.getLogger(ModelAdmin.class);

    @Inject
    Worker worker;

    @Inject
    ObjectMapper json;

    void routes(@Observes Router router) {
        // Blocking: a refresh loads and warms a model, which must not hold an event-loop thread.
        router.route(HttpMethod.POST, REFRESH).blockingHandler(this::refresh, false);
    }

    private void refresh(RoutingContext ctx) {
        int status;
        Object body;
        try {
            ModelServer.Refresh r = worker.refreshModels();
            status = 200;
            body = r;
        } catch (IllegalStateException e) {
            status = 503;
            body = error(e.getMessage());
        } catch (java.io.IOException e) {
            LOG.warnf("model refresh asked over HTTP failed: %s", e.getMessage());
            status = 502;
            body = error(e.getMessage());
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static Map<String, String> error(String message) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("error", message);
        return out;
    }
}
