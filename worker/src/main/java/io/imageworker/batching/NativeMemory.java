package io.imageworker.batching;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C library's heap of this process, where the engines allocate (MXNet's CPU storage pool,
 * oneDNN's primitives and scratch, ONNX Runtime's arena, per-thread state), read from glibc's
 * {@code mallinfo2(3)} (glibc 2.33+; the worker's image has 2.34). The JVM's heap is not in it, so a
 * warm-up's growth here is what the engine kept for that model, whatever the garbage collector did.
 *
 * <p>Two readings: {@link #heldBytes()} is what {@code malloc} holds from the system (in use, plus
 * freed blocks it keeps in its arenas): what a pod's memory limit sees of the engines.
 * {@link #inUseBytes()} is what is allocated and not yet freed: what a leak grows.
 */
public final class NativeMemory {

    private NativeMemory() {
    }

    /** glibc's {@code struct mallinfo2}: every field a {@code size_t}, in bytes or counts. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
            "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        /** Bytes the arenas took from the system with {@code brk}/{@code mmap} (all arenas). */
        public long arena;
        /** Free chunks. */
        public long ordblks;
        /** Free fastbin chunks. */
        public long smblks;
        /** Blocks mapped on their own. */
        public long hblks;
        /** Bytes in blocks mapped on their own. */
        public long hblkhd;
        /** Unused (always 0). */
        public long usmblks;
        /** Bytes in free fastbin chunks. */
        public long fsmblks;
        /** Bytes in use in the arenas. */
        public long uordblks;
        /** Bytes free in the arenas. */
        public long fordblks;
        /** Bytes at the top of the main arena that {@code malloc_trim} could release. */
        public long keepcost;
    }

    private static volatile Function mallinfo2 = lookUp();

    private static Function lookUp() {
        try {
            return NativeLibrary.getInstance("c").getFunction("mallinfo2");
        } catch (UnsatisfiedLinkError | RuntimeException notGlibc) {
            return null;
        }
    }

    /** True where {@code mallinfo2} exists (glibc 2.33+): the readings below are then exact. */
    public static boolean available() {
        return mallinfo2 != null;
    }

    /**
     * Bytes {@code malloc} holds from the system, all arenas: {@code arena + hblkhd}.
     *
     * @return bytes; -1 where the C library has no {@code mallinfo2}
     */
    public static long heldBytes() {
        MallInfo2 info = info();
        return info == null ? -1 : info.arena + info.hblkhd;
    }

    /**
     * Bytes allocated through {@code malloc} and not yet freed, all arenas: {@code uordblks + hblkhd}.
     *
     * @return bytes; -1 where the C library has no {@code mallinfo2}
     */
    public static long inUseBytes() {
        MallInfo2 info = info();
        return info == null ? -1 : info.uordblks + info.hblkhd;
    }

    private static MallInfo2 info() {
        Function f = mallinfo2;
        return f == null ? null : (MallInfo2) f.invoke(MallInfo2.class, new Object[0]);
    }

    /** glibc's {@code mallopt} parameter for the most arenas ({@code M_ARENA_MAX}). */
    private static final int M_ARENA_MAX = -8;

    /** Arenas glibc may create when {@code MALLOC_ARENA_MAX} is not set (docs/memory.md). */
    public static final int ARENA_MAX = 2;

    /**
     * MXNet's CPU storage pool when {@code MXNET_CPU_MEM_POOL_TYPE} is not set: {@code Round}
     * rounds each request up (to pages below 16 MiB, to a power of two above), so a freed array
     * serves the next of a nearby size; the default pool reuses a block only for the exact same
     * size, and a worker whose batches vary kept one block per size it ever saw.
     */
    public static final String MXNET_POOL = "Round";

    /**
     * Sets the process's native allocators as the memory measurements chose, where the environment
     * does not already say otherwise: at most {@value #ARENA_MAX} glibc arenas ({@code mallopt};
     * glibc otherwise makes up to 8 per core, one per thread that allocates at once, each keeping
     * what its thread freed) and MXNet's {@value #MXNET_POOL} pool (set in the C environment, read
     * when MXNet allocates its first array). Call before any engine loads and before the
     * application starts threads of its own: {@code setenv} is not safe beside threads reading the
     * environment. Nothing happens on a C library without these calls.
     *
     * @return the settings applied, for the start-up log; empty where none was
     */
    public static synchronized java.util.List<String> configure() {
        java.util.List<String> applied = new java.util.ArrayList<>();
        configured = applied;
        try {
            NativeLibrary c = NativeLibrary.getInstance("c");
            if (System.getenv("MALLOC_ARENA_MAX") == null
                    && c.getFunction("mallopt").invokeInt(new Object[] {M_ARENA_MAX, ARENA_MAX}) == 1) {
                applied.add("malloc arenas at most " + ARENA_MAX);
            }
            if (System.getenv("MXNET_CPU_MEM_POOL_TYPE") == null
                    && c.getFunction("setenv").invokeInt(new Object[] {"MXNET_CPU_MEM_POOL_TYPE", MXNET_POOL, 0}) == 0) {
                applied.add("MXNET_CPU_MEM_POOL_TYPE=" + MXNET_POOL);
            }
        } catch (UnsatisfiedLinkError | RuntimeException notGlibc) {
            // another C library: its defaults stay
        }
        return applied;
    }

    private static volatile java.util.List<String> configured = java.util.List.of();

    /** What {@link #configure()} applied in this process, for the start-up log; empty before or where nothing was. */
    public static java.util.List<String> configured() {
        return java.util.List.copyOf(configured);
    }

    /**
     * Resident set size of process {@code pid} in bytes, from {@code /proc/<pid>/status} (Linux).
     *
     * @throws IOException when the file cannot be read or has no {@code VmRSS} line
     */
    public static long rssBytes(long pid) throws IOException {
        return statusBytes(pid, "VmRSS:");
    }

    /**
     * Peak resident set size ({@code VmHWM}) of process {@code pid} in bytes (Linux).
     *
     * @throws IOException when the file cannot be read or has no {@code VmHWM} line
     */
    public static long peakRssBytes(long pid) throws IOException {
        return statusBytes(pid, "VmHWM:");
    }

    private static long statusBytes(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no " + field + " for process " + pid);
    }
}
