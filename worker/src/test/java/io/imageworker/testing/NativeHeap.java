package io.imageworker.testing;

import com.sun.jna.NativeLibrary;
import io.imageworker.batching.NativeMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * The C library's heap of this process, where the engine (MXNet's CPU storage, its per-thread state)
 * and the JVM's own native structures allocate, read from glibc's {@code mallinfo2(3)}.
 *
 * <p>Why not RSS: RSS less the heap the JVM has <em>committed</em> also counts heap pages that were
 * committed earlier but touched only now. After a test that grew the heap, a later test's RSS can
 * rise by hundreds of MiB with no native allocation at all (CI read +520 MiB over 20 model swaps
 * that allocated a few MiB). {@code mallinfo2} counts what is allocated, whatever the JVM does.
 */
public final class NativeHeap {

    private NativeHeap() {
    }

    /**
     * Bytes allocated and not yet freed through {@code malloc} in this process, all arenas:
     * {@code uordblks} (in use in the arenas) plus {@code hblkhd} (blocks {@code malloc} mapped on
     * their own). Runs a collection first, so that arrays whose Java owners are gone are freed.
     *
     * @return bytes in use; or, on a C library without {@code mallinfo2}, RSS less the JVM's
     *     committed heap and pools (the rougher reading described above)
     * @throws IOException if {@code /proc/self/status} cannot be read for the fallback
     */
    public static long inUseBytes() throws IOException {
        System.gc();
        if (NativeMemory.available()) {
            return NativeMemory.inUseBytes();
        }
        var mem = ManagementFactory.getMemoryMXBean();
        return rssBytes() - mem.getHeapMemoryUsage().getCommitted() - mem.getNonHeapMemoryUsage().getCommitted();
    }

    /**
     * glibc keeps freed blocks in its arenas rather than return them to the system; {@code malloc_trim(0)}
     * hands them back, so that RSS reads what is still in use, not what the allocator keeps for later.
     * Another C library is left as it is.
     */
    public static void trim() {
        try {
            NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0});
        } catch (UnsatisfiedLinkError notGlibc) {
            // another C library: RSS then includes what its allocator keeps
        }
    }

    /**
     * This process's resident set ({@link NativeMemory#rssBytes(long)}).
     *
     * @return bytes
     * @throws IOException if {@code /proc/self/status} cannot be read or has no {@code VmRSS}
     */
    public static long rssBytes() throws IOException {
        return NativeMemory.rssBytes(ProcessHandle.current().pid());
    }
}
