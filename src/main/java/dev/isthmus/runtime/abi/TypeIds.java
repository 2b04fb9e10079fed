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
 * <p>A type is keyed by its structure with every typed reference {@code (ref null? $k)} replaced by the canonical
 * id of type {@code k}, or by its position when {@code k} is in the same recursion group (a type without explicit
 * group is a group of its own, which may refer to earlier types and to itself). Types without typed references are keyed
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
        return of(module, typeIndex, new java.util.HashMap<>());
    }

    /**
     * The canonical ids of all of {@code module}'s types, by type index, each worked out once (for loops over
     * functions: asking {@link #of(WasmModule, int)} per function built a type's key once per function).
     */
    public static int[] ofAll(WasmModule module) {
        java.util.Map<Integer, Integer> known = new java.util.HashMap<>();
        int[] ids = new int[module.types().size()];
        for (int t = 0; t < ids.length; t++) ids[t] = of(module, t, known);
        return ids;
    }

    /** {@link #of(WasmModule, int)} with the ids of earlier types already computed in this call. */
    private static int of(WasmModule module, int typeIndex, java.util.Map<Integer, Integer> known) {
        Integer id = known.get(typeIndex);
        if (id != null) return id;
        int computed = id(key(module, typeIndex, known));
        known.put(typeIndex, computed);
        return computed;
    }

    private static int id(String key) {
        return IDS.computeIfAbsent(key, t -> NEXT.incrementAndGet());
    }

    /**
     * The module-independent key of type {@code index} of {@code module}. A type alone in its recursion group is
     * its structure; a member of a group of several types is the whole group's structures and its position in it
     * ({@code (rec ...).k}). Inside a group, a reference to a member (itself included) is its position
     * ({@code rec.k}: groups equal up to their members' indices are the same, iso-recursive equivalence); a
     * reference to an earlier type is that type's canonical id ({@code #id}: equal ids are equivalent types). Keys
     * therefore stay as long as the type itself: a chain of types each naming the two before it made keys that
     * embedded the earlier keys grow exponentially (30 such types took 4 s to instantiate, 60 would never finish).
     */
    static String key(WasmModule module, int index, java.util.Map<Integer, Integer> known) {
        int[] group = module.recGroupOf(index);
        if (group[1] == 1) return structure(module, index, group, known);
        StringBuilder sb = new StringBuilder("(rec");
        for (int k = group[0]; k < group[0] + group[1]; k++) sb.append(' ').append(structure(module, k, group, known));
        return sb.append(").").append(index - group[0]).toString();
    }

    private static String structure(WasmModule module, int index, int[] group, java.util.Map<Integer, Integer> known) {
        FuncType t = module.types().get(index);
        StringBuilder sb = new StringBuilder("(func");
        if (!t.params().isEmpty()) sb.append(" (param").append(keys(module, group, t.params(), known)).append(')');
        if (!t.results().isEmpty()) sb.append(" (result").append(keys(module, group, t.results(), known)).append(')');
        return sb.append(')').toString();
    }

    private static String keys(WasmModule module, int[] group, List<ValType> list, java.util.Map<Integer, Integer> known) {
        StringBuilder sb = new StringBuilder();
        for (ValType v : list) {
            sb.append(' ');
            if (!v.isTypedFuncRef()) {
                sb.append(v.text());
            } else {
                int k = v.heapType();
                String heap = k >= group[0] && k < group[0] + group[1] ? "rec." + (k - group[0])
                        : k < group[0] ? "#" + of(module, k, known) : "?" + k;
                sb.append("(ref ").append(v.nullable() ? "null " : "").append(heap).append(')');
            }
        }
        return sb.toString();
    }
}
