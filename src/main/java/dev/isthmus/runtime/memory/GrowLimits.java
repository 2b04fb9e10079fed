package dev.isthmus.runtime.memory;

/**
 * What an instance's memories and tables may grow to: fixed maxima (bytes per memory, elements per table) and an
 * optional embedder callback consulted for every grow that the maxima allow, including the initial allocation
 * (from 0 to the declared minimum). Immutable; shared by every memory and table an instance creates.
 *
 * <p>A callback that throws makes the grow fail with {@link Refusal} carrying what it threw: {@code memory.grow}
 * and {@code table.grow} from wasm then throw it out of the call (as a host function's exception), the API's
 * {@code Memory.grow}/{@code Table.grow} rethrow it, and instantiation fails with it.
 */
public record GrowLimits(long maxMemoryBytes, long maxTableElements, Callback callback) {
    /** No limit but the type's and the runtime's own. */
    public static final GrowLimits NONE = new GrowLimits(Long.MAX_VALUE, Long.MAX_VALUE, null);

    /** The embedder's callback. {@code maximum} is -1 when the type declares none. */
    public interface Callback {
        boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes);

        boolean tableGrowing(long currentElements, long desiredElements, long maximumElements);
    }

    /** What a {@link Callback} threw (unchecked, so that it crosses the runtime unchanged). */
    public static final class Refusal extends RuntimeException {
        public Refusal(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** Whether a memory may grow from {@code current} to {@code desired} bytes. */
    public boolean allowsMemory(long currentBytes, long desiredBytes, long maximumBytes) {
        if (desiredBytes > maxMemoryBytes) return false;
        if (callback == null) return true;
        try {
            return callback.memoryGrowing(currentBytes, desiredBytes, maximumBytes);
        } catch (RuntimeException | Error e) {
            throw new Refusal(e);
        }
    }

    /** Whether a table may grow from {@code current} to {@code desired} elements. */
    public boolean allowsTable(long currentElements, long desiredElements, long maximumElements) {
        if (desiredElements > maxTableElements) return false;
        if (callback == null) return true;
        try {
            return callback.tableGrowing(currentElements, desiredElements, maximumElements);
        } catch (RuntimeException | Error e) {
            throw new Refusal(e);
        }
    }
}
