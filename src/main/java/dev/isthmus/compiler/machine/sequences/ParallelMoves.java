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

    /** Moves {@code src[i]} to {@code dst[i]} for every {@code i}, all at once. */
    public static void emit(int[] dst, int[] src, Mover mover) {
        int n = dst.length;
        if (src.length != n) throw new IllegalArgumentException("sources and destinations differ in number");
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

    /** Whether a pending move other than {@code self} reads {@code location}. */
    private static boolean read(int location, int self, int[] from, boolean[] pending) {
        for (int j = 0; j < from.length; j++) {
            if (j != self && pending[j] && from[j] == location) return true;
        }
        return false;
    }
}
