package dev.isthmus.runtime.code;

import java.util.Arrays;
import java.util.List;

/**
 * The code ranges this runtime has placed in memory, so that a fault handler can tell "a PC in our code" from
 * anything else and find the range's owner.
 *
 * <p>Lookup is lock-free and allocation-free: readers binary-search an immutable snapshot of sorted, non-overlapping
 * ranges published through a volatile field. Registration and removal (rare: once per module) copy the snapshot
 * under a lock.
 *
 * <pre>
 *   snapshot.starts : [ s0 &lt; s1 &lt; s2 ... ]     lookup(pc): i = last index with starts[i] &lt;= pc,
 *   snapshot.ends   : [ e0    e1    e2 ... ]                 hit when pc &lt; ends[i]
 *   snapshot.ranges : [ r0    r1    r2 ... ]     (e_i &lt;= s_i+1: ranges never overlap)
 * </pre>
 *
 * <p>Machine code (the signal shim) cannot call Java: it reads its own native tables,
 * {@code dev.isthmus.runtime.signal.FaultTables}, which code owners register with separately.
 *
 * <p>{@link #global()} is the process-wide instance every {@link CodeMemory} registers with; separate instances are
 * for tests.
 */
public final class CodeRegistry {
    private static final CodeRegistry GLOBAL = new CodeRegistry();

    /** Sorted parallel arrays; never mutated after publication. */
    private record Snapshot(long[] starts, long[] ends, CodeRange[] ranges) {
        static final Snapshot EMPTY = new Snapshot(new long[0], new long[0], new CodeRange[0]);
    }

    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /** The process-wide registry. */
    public static CodeRegistry global() {
        return GLOBAL;
    }

    /**
     * Registers {@code [start, end)} as owned by {@code owner}.
     *
     * @return the registered range, to pass to {@link #deregister}
     * @throws IllegalStateException when the range overlaps one already registered
     */
    public CodeRange register(long start, long end, Object owner) {
        CodeRange range = new CodeRange(start, end, owner);
        synchronized (this) {
            Snapshot old = snapshot;
            int at = insertionPoint(old.starts, start);
            if (at > 0 && old.ranges[at - 1].overlaps(range)) {
                throw new IllegalStateException("code range " + range + " overlaps " + old.ranges[at - 1]);
            }
            if (at < old.ranges.length && old.ranges[at].overlaps(range)) {
                throw new IllegalStateException("code range " + range + " overlaps " + old.ranges[at]);
            }
            publish(new Snapshot(insert(old.starts, at, start), insert(old.ends, at, end),
                    insert(old.ranges, at, range)));
        }
        return range;
    }

    /**
     * Removes a range returned by {@link #register}.
     *
     * @return whether it was registered
     */
    public boolean deregister(CodeRange range) {
        synchronized (this) {
            Snapshot old = snapshot;
            int at = Arrays.binarySearch(old.starts, range.start());
            if (at < 0 || old.ranges[at] != range) {
                return false;
            }
            publish(new Snapshot(remove(old.starts, at), remove(old.ends, at), remove(old.ranges, at)));
            return true;
        }
    }

    /** The range containing {@code address}, or {@code null}. Lock-free. */
    public CodeRange lookup(long address) {
        Snapshot current = snapshot;
        int candidate = lastStartAtOrBelow(current.starts, address);
        if (candidate >= 0 && address < current.ends[candidate]) {
            return current.ranges[candidate];
        }
        return null;
    }

    /** Whether some registered range contains {@code address}. */
    public boolean contains(long address) {
        return lookup(address) != null;
    }

    /** All registered ranges, sorted by start address. */
    public List<CodeRange> ranges() {
        return List.of(snapshot.ranges);
    }

    /** The number of registered ranges. */
    public int size() {
        return snapshot.ranges.length;
    }

    /** Called with the lock held. */
    private void publish(Snapshot next) {
        snapshot = next;
    }

    /** The index of the first start greater than or equal to {@code key} (the array length if none). */
    private static int insertionPoint(long[] starts, long key) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The index of the last start less than or equal to {@code address}, or -1. */
    private static int lastStartAtOrBelow(long[] starts, long address) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= address) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low - 1;
    }

    private static long[] insert(long[] array, int at, long value) {
        long[] result = new long[array.length + 1];
        System.arraycopy(array, 0, result, 0, at);
        result[at] = value;
        System.arraycopy(array, at, result, at + 1, array.length - at);
        return result;
    }

    private static CodeRange[] insert(CodeRange[] array, int at, CodeRange value) {
        CodeRange[] result = new CodeRange[array.length + 1];
        System.arraycopy(array, 0, result, 0, at);
        result[at] = value;
        System.arraycopy(array, at, result, at + 1, array.length - at);
        return result;
    }

    private static long[] remove(long[] array, int at) {
        long[] result = new long[array.length - 1];
        System.arraycopy(array, 0, result, 0, at);
        System.arraycopy(array, at + 1, result, at, array.length - at - 1);
        return result;
    }

    private static CodeRange[] remove(CodeRange[] array, int at) {
        CodeRange[] result = new CodeRange[array.length - 1];
        System.arraycopy(array, 0, result, 0, at);
        System.arraycopy(array, at + 1, result, at, array.length - at - 1);
        return result;
    }
}
