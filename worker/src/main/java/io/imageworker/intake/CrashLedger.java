package io.imageworker.intake;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a partition's committed offset remembers about jobs that may have crashed a worker, kept in
 * the commit's metadata string (Kafka stores it with the offset; no other store is needed).
 *
 * <p>Before a worker starts jobs beyond what it last recorded, it commits {@code upTo}: one past
 * the highest offset it has dispatched. If it dies, the next owner knows that every record from
 * the committed offset up to {@code upTo} was possibly in flight at the crash: a suspect. Suspects
 * run one at a time with nothing else in flight, each announced by a commit naming it and its
 * try ({@code suspect}, {@code tries}), so that a worker dying again is blamed on exactly that
 * record. A record that has been tried alone {@code maxTries} times is dead-lettered instead of
 * being run again.
 *
 * @param upTo one past the highest offset dispatched when this was committed (-1: none recorded)
 * @param suspect offset of the suspect being tried alone, or -1
 * @param tries how many times {@code suspect} has been started alone
 */
record CrashLedger(long upTo, long suspect, int tries) {

    static final CrashLedger NONE = new CrashLedger(-1, -1, 0);
    private static final Pattern FORMAT = Pattern.compile("iw1 upTo=(-?\\d+) suspect=(-?\\d+) tries=(\\d+)");

    /** Reads a committed metadata string; anything unknown (or another tool's metadata) means nothing recorded. */
    static CrashLedger parse(String metadata) {
        if (metadata == null) {
            return NONE;
        }
        Matcher m = FORMAT.matcher(metadata.strip());
        if (!m.matches()) {
            return NONE;
        }
        return new CrashLedger(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }

    String format() {
        return "iw1 upTo=" + upTo + " suspect=" + suspect + " tries=" + tries;
    }

    /** True when the record at {@code offset} may have been in flight when a worker died. */
    boolean isSuspect(long offset) {
        return offset < upTo;
    }

    /** Tries so far of the record at {@code offset} alone. */
    int triesOf(long offset) {
        return offset == suspect ? tries : 0;
    }
}
