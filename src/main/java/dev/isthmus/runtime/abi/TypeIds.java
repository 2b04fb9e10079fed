package dev.isthmus.runtime.abi;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Canonical function-type ids, process-wide: equivalent function types get the same id, so {@code call_indirect}
 * checks a signature with one integer compare, across modules and instances. Ids are known at compile time and
 * baked into code as immediates. Never 0 (so a zeroed func ref never matches).
 *
 * <p>A type is keyed by its structure with every typed reference {@code (ref null? $k)} replaced by the key of type
 * {@code k} (3.0's equivalence of types without explicit recursion groups: each is a group of its own, which may
 * refer to earlier types and to itself, a self-reference keyed as such). Types without typed references are keyed
 * by their text, so their ids are what {@link #of(FuncType)} gives.
 */
public final class TypeIds {
    private TypeIds() {}

    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    /**
     * The last id given. Not {@code IDS.size() + 1}: two threads registering different types at once (their map
     * bins lock separately) could both see the same size and give two types one id.
     */
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** The canonical id of {@code type}, a positive int; {@code type} must not hold typed references. */
    public static int of(FuncType type) {
        return id(type.toString());
    }

    /** The canonical id of type {@code typeIndex} of {@code module}. */
    public static int of(WasmModule module, int typeIndex) {
        return id(key(module, typeIndex));
    }

    private static int id(String key) {
        return IDS.computeIfAbsent(key, t -> NEXT.incrementAndGet());
    }

    /**
     * The module-independent key of type {@code index} of {@code module}. A type alone in its recursion group is
     * its structure; a member of a group of several types is the whole group's structures and its position in it
     * ({@code (rec ...).k}). Inside a group, a reference to a member (itself included) is its position
     * ({@code rec.k}: groups equal up to their members' indices are the same, iso-recursive equivalence); a
     * reference to an earlier type is that type's key.
     */
    static String key(WasmModule module, int index) {
        int[] group = module.recGroupOf(index);
        if (group[1] == 1) return structure(module, index, group);
        StringBuilder sb = new StringBuilder("(rec");
        for (int k = group[0]; k < group[0] + group[1]; k++) sb.append(' ').append(structure(module, k, group));
        return sb.append(").").append(index - group[0]).toString();
    }

    private static String structure(WasmModule module, int index, int[] group) {
        FuncType t = module.types().get(index);
        StringBuilder sb = new StringBuilder("(func");
        if (!t.params().isEmpty()) sb.append(" (param").append(keys(module, group, t.params())).append(')');
        if (!t.results().isEmpty()) sb.append(" (result").append(keys(module, group, t.results())).append(')');
        return sb.append(')').toString();
    }

    private static String keys(WasmModule module, int[] group, List<ValType> list) {
        StringBuilder sb = new StringBuilder();
        for (ValType v : list) {
            sb.append(' ');
            if (!v.isTypedFuncRef()) {
                sb.append(v.text());
            } else {
                int k = v.heapType();
                String heap = k >= group[0] && k < group[0] + group[1] ? "rec." + (k - group[0])
                        : k < group[0] ? key(module, k) : "?" + k;
                sb.append("(ref ").append(v.nullable() ? "null " : "").append(heap).append(')');
            }
        }
        return sb.toString();
    }
}
