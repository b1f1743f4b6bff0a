package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordHeadersTest {

    @Test
    void nullAndNonUtf8ValuesAreLeftOutTheRestRead() {
        RecordHeaders h = new RecordHeaders();
        h.add("x-trace", null); // kcat -H x-trace
        h.add("latin1", "K\u00f6ln".getBytes(StandardCharsets.ISO_8859_1));
        h.add("binary", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        h.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        h.add("city", "K\u00f6ln \u2713".getBytes(StandardCharsets.UTF_8));
        h.add("empty", new byte[0]);
        h.add("city", "Bonn".getBytes(StandardCharsets.UTF_8));

        var read = io.imageworker.intake.RecordHeaders.utf8(JobEnvelope.of(new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                "t", 0, 0L, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, new byte[0], new byte[0], h,
                java.util.Optional.empty())).headers());

        assertThat(read).containsOnlyKeys("traceparent", "city", "empty");
        assertThat(read.get("city")).isEqualTo("Bonn");
        assertThat(read.get("empty")).isEmpty();
        assertThat(io.imageworker.intake.RecordHeaders.utf8((java.util.List<JobEnvelope.Header>) null)).isEmpty();
    }

    @Test
    void decodingIsStrict() {
        assertThat(io.imageworker.intake.RecordHeaders.utf8(new byte[] {(byte) 0xc3, (byte) 0x28})).isNull();
        assertThat(io.imageworker.intake.RecordHeaders.utf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isNull(); // CESU surrogate
        assertThat(io.imageworker.intake.RecordHeaders.utf8("\u00e9".getBytes(StandardCharsets.UTF_8))).isEqualTo("\u00e9");
    }
}
