package io.imageworker.observability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the default models are loaded and jobs are being consumed (the broker check is Quarkus's own). */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

    @Inject
    WorkerState worker;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("image-worker").status(worker.ready())
                .withData("itemsInFlight", worker.itemsInFlight()).build();
    }
}
