package io.imageworker.intake;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * Reads a job record's headers as text, safely. Kafka allows a header with a null value (what
 * {@code kcat -H x-trace} writes) and any bytes as a value; the worker only reads a few headers
 * (the W3C trace context) and must never fail a job on the others.
 */
public final class RecordHeaders {

    private RecordHeaders() {}

    /**
     * The headers whose value is valid UTF-8, by key (the last one wins for a repeated key, as Kafka's
     * {@code lastHeader}). Headers with a null key or value, or a value that is not UTF-8, are left out.
     *
     * @param headers a record's headers; null reads as none
     * @return a new, modifiable map in the records' order
     */
    public static Map<String, String> utf8(List<JobEnvelope.Header> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers == null) {
            return out;
        }
        for (JobEnvelope.Header h : headers) {
            if (h == null || h.key() == null) {
                continue;
            }
            String value = utf8(h.value());
            if (value != null) {
                out.put(h.key(), value);
            }
        }
        return out;
    }

    /** {@code bytes} decoded as strict UTF-8 (no replacement characters), or null when null or not UTF-8. */
    public static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
