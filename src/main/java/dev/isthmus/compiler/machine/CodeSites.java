package dev.isthmus.compiler.machine;

import java.util.Arrays;

/**
 * A growing list of pairs (offset of a field in a function's code, what the field refers to), as a compiler records
 * them while it emits: rel32 calls and their target functions, type-id immediates and their types.
 */
public final class CodeSites {
    private int[] pairs = new int[8];
    private int count;

    /** Records the field at {@code offset} referring to {@code target}. */
    public void add(int offset, int target) {
        if (count + 2 > pairs.length) pairs = Arrays.copyOf(pairs, pairs.length * 2);
        pairs[count++] = offset;
        pairs[count++] = target;
    }

    /** The pairs, flattened: offset, target, offset, target, ... */
    public int[] toArray() {
        return Arrays.copyOf(pairs, count);
    }
}
