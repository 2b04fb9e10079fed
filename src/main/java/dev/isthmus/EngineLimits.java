package dev.isthmus;

import dev.isthmus.runtime.memory.GrowLimits;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine's {@link ResourceLimits} and {@link ResourceLimiter}, and its count of live instances. */
final class EngineLimits {
    static final EngineLimits NONE = new EngineLimits(ResourceLimits.NONE, null);

    final ResourceLimits limits;
    final GrowLimits growLimits;
    private final AtomicInteger live = new AtomicInteger();

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
        return live.get();
    }

    /**
     * Takes a slot for one instance; the returned action gives it back (idempotent).
     *
     * @throws UninstantiableException when {@link ResourceLimits#maxInstances()} instances are alive
     */
    Runnable acquireInstance() {
        int max = limits.maxInstances();
        while (true) {
            int now = live.get();
            if (now >= max) {
                throw new UninstantiableException("instance limit reached: " + now + " instances of this engine are "
                        + "alive, the limit is " + max + " (ResourceLimits.maxInstances); close instances to free "
                        + "their slots", null);
            }
            if (live.compareAndSet(now, now + 1)) break;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) live.decrementAndGet();
        };
    }
}
