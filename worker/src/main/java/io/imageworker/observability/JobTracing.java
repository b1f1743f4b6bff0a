package io.imageworker.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries the W3C trace context of a job event ({@code traceparent}, {@code tracestate} headers)
 * through to its result event. With the OpenTelemetry SDK on ({@code QUARKUS_OTEL_SDK_DISABLED=false}
 * and an OTLP endpoint) each job is a span, child of the producer's; with it off (the default) the
 * incoming context is passed through unchanged, so traces still connect across the worker.
 */
public final class JobTracing {

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    /**
     * @param otel the OpenTelemetry instance Quarkus provides; spans come from its tracer
     *     {@code io.imageworker}
     */
    public JobTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.imageworker");
    }

    /** A job's span, child of the context in {@code headers} (an invalid parent starts a new trace). */
    public Span start(Map<String, String> headers, String jobId, String task) {
        Context parent = W3C.extract(Context.root(), headers, GETTER);
        return tracer.spanBuilder("image-job " + (task == null ? "?" : task)).setParent(parent)
                .setSpanKind(SpanKind.CONSUMER).setAttribute("image_worker.job_id", jobId == null ? "" : jobId)
                .setAttribute("messaging.system", "kafka").startSpan();
    }

    /** Ends {@code span} with the job's terminal status. */
    public void end(Span span, String status, Throwable error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR);
        } else {
            span.setAttribute("image_worker.status", status == null ? "" : status);
        }
        span.end();
    }

    /** The headers that continue {@code span}'s trace downstream. */
    public Map<String, String> headers(Span span) {
        Map<String, String> out = new LinkedHashMap<>();
        W3C.inject(Context.root().with(span), out, (carrier, key, value) -> carrier.put(key, value));
        return out;
    }
}
