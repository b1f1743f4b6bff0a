package io.imageworker.intake;

import io.imageworker.job.Rejection;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Job events sent as CloudEvents, read with the CloudEvents SDK's Kafka protocol binding:
 * <ul>
 *   <li>binary mode: the attributes in {@code ce_*} headers ({@code ce_specversion} marks it), the job
 *       JSON as the value, {@code content-type} its media type;
 *   <li>structured mode: {@code content-type: application/cloudevents+json}, the value a CloudEvent
 *       JSON document whose {@code data} is the job.
 * </ul>
 * A record with neither is a plain job event, its value the job. The event's data must be JSON
 * ({@code datacontenttype} unset, {@code application/json} or a {@code +json} type); the attributes
 * are checked by the SDK (specversion 1.0 or 0.3, id, source, type present) but not otherwise used.
 */
final class CloudEventJobs {

    private static final String SPEC_VERSION = "ce_specversion";
    private static final String CONTENT_TYPE = "content-type";

    static {
        // Found through ServiceLoader too, but a class loader that does not see it would leave
        // structured mode unreadable: registered explicitly.
        EventFormatProvider.getInstance().registerFormat(new JsonFormat());
    }

    private CloudEventJobs() {}

    /**
     * The job's bytes in {@code record}: the data of a CloudEvent, or the value of a plain record.
     *
     * @throws Rejection.Exception {@code invalid-job} for a CloudEvent the SDK refuses, one without
     *     data, or one whose data is not JSON; {@code not-json} for a structured event that is not
     *     strict JSON (a name twice, for instance: the SDK's reader would keep one silently)
     */
    static byte[] jobBytes(JobEnvelope record, int maxBytes) throws Rejection.Exception {
        // Only headers with a key and a value reach the SDK: it reads every value as a string and a
        // null one (kcat -H name) would throw there.
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        for (JobEnvelope.Header h : record.headers()) {
            if (h != null && h.key() != null && h.value() != null) {
                headers.add(h.key(), h.value());
            }
        }
        boolean binary = headers.lastHeader(SPEC_VERSION) != null;
        Header type = headers.lastHeader(CONTENT_TYPE);
        String contentType = type == null ? null : RecordHeaders.utf8(type.value());
        boolean structured = !binary && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
        if (!binary && !structured) {
            return record.value();
        }
        if (structured) {
            // Strict first: duplicate names, trailing content and the like are refused as in a plain job.
            JobParser.strictTree(record.value(), maxBytes, "CloudEvent", Rejection.INVALID_JOB);
        }
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(headers, record.value()).toEvent();
        } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
            throw Rejection.exception(Rejection.INVALID_JOB, "the record is not a valid CloudEvent ("
                    + (binary ? "binary" : "structured") + " mode of the Kafka protocol binding): " + e.getMessage(), null);
        }
        String dataType = event.getDataContentType();
        if (dataType != null && !isJson(dataType)) {
            throw Rejection.exception(Rejection.INVALID_JOB, "the CloudEvent's data is " + dataType
                    + ", not a JSON job (application/json)", null);
        }
        if (event.getData() == null) {
            throw Rejection.exception(Rejection.INVALID_JOB, "the CloudEvent " + event.getId() + " (type "
                    + event.getType() + ") carries no data: its data is the job", null);
        }
        return event.getData().toBytes();
    }

    private static boolean isJson(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        t = (semicolon < 0 ? t : t.substring(0, semicolon)).trim();
        return t.equals("application/json") || t.equals("text/json") || t.endsWith("+json");
    }
}
