package dev.isthmus.text;

import dev.isthmus.model.FuncType;
import java.util.ArrayList;
import java.util.List;

/**
 * The type section being built: the explicit {@code (type ...)} definitions first, then the types the text format
 * creates implicitly for inline type uses that match no existing type, in order of first use.
 */
final class TypeTable {
    private final List<FuncType> types = new ArrayList<>();
    private final IndexSpace space = new IndexSpace("type", "type");

    private int defined;
    /** Recursion groups of several explicit types: {start, size} each, in order. */
    private final List<int[]> recGroups = new ArrayList<>();
    /** The indices of the members of {@link #recGroups}. */
    private final java.util.BitSet inGroupOfSeveral = new java.util.BitSet();

    /** The last {@code count} declared explicit types form a recursion group ({@code rec}). */
    void recGroup(int count) {
        if (count == 1) return;
        recGroups.add(new int[] {types.size() - count, count});
        inGroupOfSeveral.set(types.size() - count, types.size());
    }

    /** The recursion groups of several types (or none), {start, size} each. */
    List<int[]> recGroups() {
        return recGroups;
    }

    /**
     * Declares the next explicit definition's name before any definition is read, so that a type can name itself
     * or a later one ({@code (ref $t)}); all of them are declared before any implicit type is added.
     */
    void declareExplicit(String id, Token at, Lexer lexer) {
        space.add(id, at, lexer);
        types.add(null);
    }

    /** Gives the next declared explicit definition its type, in declaration order. */
    void defineExplicit(FuncType type) {
        types.set(defined++, type);
    }

    /**
     * The index of the first type equal to {@code type} that is a recursion group of its own, appending it if there
     * is none (an inline type use never names a member of a {@code rec} group of several types).
     */
    int indexOf(FuncType type) {
        for (int i = 0; i < types.size(); i++) {
            if (type.equals(types.get(i)) && !inGroupOfSeveral.get(i)) return i;
        }
        types.add(type);
        space.add(null, null, null);
        return types.size() - 1;
    }

    long resolve(Token t, Lexer lexer) {
        return space.resolve(t, lexer);
    }

    /** The type at {@code index}, or null when there is none (left for the validator to report). */
    FuncType get(long index) {
        return index >= 0 && index < types.size() ? types.get((int) index) : null;
    }

    List<FuncType> all() {
        return types;
    }
}
