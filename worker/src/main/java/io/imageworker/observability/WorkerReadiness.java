package io.imageworker.observability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the default models are loaded and jobs are being consumed (the broker check is Quarkus's
 * own). Its data lists the model versions serving ({@code models}: {@code reference=name:version},
 * comma-separated) and those draining after an update ({@code modelsDraining}).
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

    @Inject
    WorkerState worker;

    @Override
    public HealthCheckResponse call() {
        String serving = String.join(",", worker.servingModels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        return HealthCheckResponse.named("image-worker").status(worker.ready())
                .withData("itemsInFlight", worker.itemsInFlight())
                .withData("models", serving)
                .withData("modelsDraining", String.join(",", worker.drainingModels())).build();
    }
}
