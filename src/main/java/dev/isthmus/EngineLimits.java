package dev.isthmus;

import dev.isthmus.runtime.memory.GrowLimits;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An engine's {@link ResourceLimits} and {@link ResourceLimiter}, and its counts of live instances and of the memories
 * and tables they define.
 */
final class EngineLimits {
    static final EngineLimits NONE = new EngineLimits(ResourceLimits.NONE, null);

    final ResourceLimits limits;
    final GrowLimits growLimits;
    /** Live instances of this engine, and the memories and tables they define (guarded by this). */
    private int live;
    private int liveMemories;
    private int liveTables;

    EngineLimits(ResourceLimits limits, ResourceLimiter limiter) {
        this.limits = limits;
        this.growLimits = growLimits(limiter);
    }

    /** The grow limits of an instance: this engine's {@link ResourceLimits}, then {@code limiter} (or none). */
    GrowLimits growLimits(ResourceLimiter limiter) {
        GrowLimits.Callback callback = limiter == null ? null : new GrowLimits.Callback() {
            @Override
            public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                return limiter.memoryGrowing(currentBytes, desiredBytes, maximumBytes);
            }

            @Override
            public boolean tableGrowing(long currentElements, long desiredElements, long maximumElements) {
                return limiter.tableGrowing(currentElements, desiredElements, maximumElements);
            }
        };
        return limits.maxMemoryBytes() == Long.MAX_VALUE && limits.maxTableElements() == Long.MAX_VALUE
                && callback == null ? GrowLimits.NONE
                : new GrowLimits(limits.maxMemoryBytes(), limits.maxTableElements(), callback);
    }

    int liveInstances() {
        synchronized (this) {
            return live;
        }
    }

    /**
     * Takes a slot for one instance that defines {@code memories} memories and {@code tables} tables; the returned
     * action gives them back (idempotent). As wasmtime checks a store's counts: instances first, then memories, then
     * tables.
     *
     * @throws UninstantiableException when {@link ResourceLimits#maxInstances()} instances are alive, or the
     *         memories or tables would exceed {@link ResourceLimits#maxMemories()} or
     *         {@link ResourceLimits#maxTables()}
     */
    Runnable acquireInstance(int memories, int tables) {
        synchronized (this) {
            if (live >= limits.maxInstances()) {
                throw new UninstantiableException("instance limit reached: " + live + " instances of this engine are "
                        + "alive, the limit is " + limits.maxInstances() + " (ResourceLimits.maxInstances); close "
                        + "instances to free their slots", null);
            }
            if ((long) liveMemories + memories > limits.maxMemories()) {
                throw new UninstantiableException(countExceeded("memory", "memories", memories, liveMemories,
                        limits.maxMemories(), "maxMemories"), null);
            }
            if ((long) liveTables + tables > limits.maxTables()) {
                throw new UninstantiableException(countExceeded("table", "tables", tables, liveTables,
                        limits.maxTables(), "maxTables"), null);
            }
            live++;
            liveMemories += memories;
            liveTables += tables;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                synchronized (this) {
                    live--;
                    liveMemories -= memories;
                    liveTables -= tables;
                }
            }
        };
    }

    private static String countExceeded(String what, String plural, int defined, int alive, int max, String limit) {
        return what + " limit reached: the module defines " + defined + " " + (defined == 1 ? what : plural)
                + " and the live instances of this engine define " + alive + ", the limit is " + max
                + " (ResourceLimits." + limit + "); close instances to free their " + plural;
    }
}
