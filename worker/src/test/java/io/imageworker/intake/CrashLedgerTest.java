package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrashLedgerTest {

    @Test
    void roundTripsThroughTheCommitMetadata() {
        CrashLedger l = new CrashLedger(1100, 1042, 2);
        assertThat(CrashLedger.parse(l.format())).isEqualTo(l);
        assertThat(l.isSuspect(1042)).isTrue();
        assertThat(l.isSuspect(1099)).isTrue();
        assertThat(l.isSuspect(1100)).isFalse();
        assertThat(l.triesOf(1042)).isEqualTo(2);
        assertThat(l.triesOf(1043)).isZero();
    }

    @Test
    void foreignOrMissingMetadataMeansNothingRecorded() {
        assertThat(CrashLedger.parse(null)).isEqualTo(CrashLedger.NONE);
        assertThat(CrashLedger.parse("")).isEqualTo(CrashLedger.NONE);
        assertThat(CrashLedger.parse("committed by some other tool")).isEqualTo(CrashLedger.NONE);
        assertThat(CrashLedger.NONE.isSuspect(0)).isFalse();
    }
}
