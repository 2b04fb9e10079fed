package dev.isthmus.compiler.machine.sequences;

/**
 * Several moves performed as if at once (call arguments, block results, phi copies): each destination receives the
 * value its source held before any of the moves. Written over abstract locations, ints the tier defines (a register
 * of either class, a stack slot); the tier emits each single move through a {@link Mover}, which copies the whole
 * value of the location (a v128 in an xmm register or a 16-byte slot: all 128 bits, so a v128 cycle is broken through
 * xmm15 like a float one, and a slot-to-slot v128 move must not use the scratch of the cycle). A source that is
 * {@link #NOT_A_LOCATION} (a constant, a local or a memory operand the tier loads itself) is materialised by the tier
 * and reads no location of the move.
 *
 * <p>The algorithm: a move whose source equals its destination is dropped. Then, repeatedly, the first move (in the
 * order given) whose destination no other pending move still reads is emitted. When every pending move waits, the
 * pending moves form cycles: the destination of the first pending move is saved in the scratch location the tier
 * names for that move's value class ({@link Mover#scratch}), the moves reading it read the scratch instead, and the
 * first move is free. The destinations must be distinct. A cycle is resolved completely before another can need
 * the scratch, and every materialised source is emitted before a cycle is broken (its destination is read only
 * by moves that are not in a cycle), so the tier's materialisation may use the scratch too.
 *
 * <p>Example, with r10 as the scratch (the moves in this order):
 * <pre>
 *   0: rdi &lt;- rsi
 *   1: rsi &lt;- rdi          ; 0 and 1 swap
 *   2: rdx &lt;- rcx
 *   3: rcx &lt;- 5            ; not a location: waits until 2 has read rcx
 *
 *   mov rdx, rcx           ; 0 and 1 wait for each other, 2 is free
 *   mov ecx, 5             ; 3 is free now
 *   mov r10, rdi           ; only the cycle is left: save the destination of 0
 *   mov rdi, rsi           ; 0
 *   mov rsi, r10           ; 1 reads the saved rdi
 * </pre>
 */
public final class ParallelMoves {
    /** The source of a move whose value the tier materialises itself ({@link Mover#materialise}). */
    public static final int NOT_A_LOCATION = Integer.MIN_VALUE;

    private ParallelMoves() {}

    /** What a tier supplies: single moves, materialised sources, scratch locations. */
    public interface Mover {
        /** Copies the value at location {@code src} to location {@code dst} (distinct locations). */
        void move(int dst, int src);

        /** Puts the value of move {@code index} (its source is {@link #NOT_A_LOCATION}) into {@code dst}. */
        void materialise(int index, int dst);

        /**
         * A location of the value class of move {@code index} that is none of the moves' locations, to hold that
         * move's destination while a cycle is broken.
         */
        int scratch(int index);
    }

    /**
     * Up to this many moves, {@link #emit} scans them all for each step (quadratic, no allocation beyond two small
     * arrays: the usual call argument or phi copy); above, it indexes them ({@link #emitIndexed}: the same moves in
     * the same order in O(n log n) — a loop edge of a function with a thousand live values is a thousand moves).
     */
    static final int SCAN_LIMIT = 16;

    /** Moves {@code src[i]} to {@code dst[i]} for every {@code i}, all at once. */
    public static void emit(int[] dst, int[] src, Mover mover) {
        emit(dst, src, mover, SCAN_LIMIT);
    }

    /** {@link #emit(int[], int[], Mover)} with the scan limit given (tests: both ways give the same moves). */
    static void emit(int[] dst, int[] src, Mover mover, int scanLimit) {
        int n = dst.length;
        if (src.length != n) throw new IllegalArgumentException("sources and destinations differ in number");
        if (n > scanLimit) {
            emitIndexed(dst, src, mover);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (dst[i] == NOT_A_LOCATION) throw new IllegalArgumentException("destination " + i + " is not a location");
            for (int j = 0; j < i; j++) {
                if (dst[j] == dst[i]) throw new IllegalArgumentException("two moves to location " + dst[i]);
            }
        }
        int[] from = src.clone();
        boolean[] pending = new boolean[n];
        int left = 0;
        for (int i = 0; i < n; i++) {
            if (from[i] != dst[i]) {
                pending[i] = true;
                left++;
            }
        }
        while (left > 0) {
            int free = -1;
            for (int i = 0; i < n && free < 0; i++) {
                if (pending[i] && !read(dst[i], i, from, pending)) free = i;
            }
            if (free < 0) {
                // only cycles are left: save the first pending destination, its readers read the scratch
                int first = 0;
                while (!pending[first]) first++;
                int scratch = mover.scratch(first);
                int saved = dst[first];
                mover.move(scratch, saved);
                for (int j = 0; j < n; j++) {
                    if (pending[j] && from[j] == saved) from[j] = scratch;
                }
                free = first;
            }
            if (from[free] == NOT_A_LOCATION) mover.materialise(free, dst[free]);
            else mover.move(dst[free], from[free]);
            pending[free] = false;
            left--;
        }
    }

    /**
     * The algorithm of the class comment with indexes instead of scans: per location, the pending moves reading it
     * (a count, and a list for breaking a cycle) and the move writing it; the free moves (pending, destination read
     * by no other pending move) in a heap by index, so that the first free move in the order given is emitted each
     * time, as by the scan.
     */
    private static void emitIndexed(int[] dst, int[] src, Mover mover) {
        int n = dst.length;
        java.util.HashMap<Integer, Integer> writer = new java.util.HashMap<>(2 * n);
        for (int i = 0; i < n; i++) {
            if (dst[i] == NOT_A_LOCATION) throw new IllegalArgumentException("destination " + i + " is not a location");
            if (writer.put(dst[i], i) != null) throw new IllegalArgumentException("two moves to location " + dst[i]);
        }
        int[] from = src.clone();
        boolean[] pending = new boolean[n];
        java.util.HashMap<Integer, java.util.List<Integer>> readers = new java.util.HashMap<>(2 * n);
        int left = 0;
        for (int i = 0; i < n; i++) {
            if (from[i] == dst[i]) continue;
            pending[i] = true;
            left++;
            if (from[i] != NOT_A_LOCATION) readers.computeIfAbsent(from[i], k -> new java.util.ArrayList<>()).add(i);
        }
        int[] readCount = new int[n];                     // per move: pending moves (other than it) reading its dst
        for (int i = 0; i < n; i++) {
            if (!pending[i]) continue;
            java.util.List<Integer> r = readers.get(dst[i]);
            if (r != null) readCount[i] = r.size();       // a pending move never reads its own destination
        }
        java.util.PriorityQueue<Integer> free = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) if (pending[i] && readCount[i] == 0) free.add(i);
        int firstPending = 0;
        while (left > 0) {
            int next;
            if (!free.isEmpty()) {
                next = free.poll();
            } else {
                // only cycles are left: save the first pending destination, its readers read the scratch
                while (!pending[firstPending]) firstPending++;
                int first = firstPending;
                int scratch = mover.scratch(first);
                int saved = dst[first];
                mover.move(scratch, saved);
                java.util.List<Integer> r = readers.remove(saved);
                if (r != null) {
                    for (int j : r) if (pending[j]) from[j] = scratch;
                    readers.computeIfAbsent(scratch, k -> new java.util.ArrayList<>()).addAll(r);
                }
                readCount[first] = 0;
                next = first;
            }
            if (from[next] == NOT_A_LOCATION) mover.materialise(next, dst[next]);
            else mover.move(dst[next], from[next]);
            pending[next] = false;
            left--;
            if (from[next] != NOT_A_LOCATION) {           // the move writing what it read has one reader fewer
                Integer w = writer.get(from[next]);
                if (w != null && pending[w] && --readCount[w] == 0) free.add(w);
            }
        }
    }

    /** Whether a pending move other than {@code self} reads {@code location}. */
    private static boolean read(int location, int self, int[] from, boolean[] pending) {
        for (int j = 0; j < from.length; j++) {
            if (j != self && pending[j] && from[j] == location) return true;
        }
        return false;
    }
}
