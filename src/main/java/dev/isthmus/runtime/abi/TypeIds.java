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
        int[] group = module.recGroupOf(typeIndex);
        if (group[1] == 1) return id(key(module.types(), typeIndex));
        // a member of a rec group of several types: the whole group and the position in it
        StringBuilder sb = new StringBuilder("(rec");
        for (int k = group[0]; k < group[0] + group[1]; k++) sb.append(' ').append(key(module.types(), k));
        return id(sb.append(").").append(typeIndex - group[0]).toString());
    }

    private static int id(String key) {
        return IDS.computeIfAbsent(key, t -> NEXT.incrementAndGet());
    }

    /** The module-independent key of type {@code index} of {@code types}. */
    public static String key(List<FuncType> types, int index) {
        FuncType t = types.get(index);
        StringBuilder sb = new StringBuilder("(func");
        if (!t.params().isEmpty()) sb.append(" (param").append(keys(types, index, t.params())).append(')');
        if (!t.results().isEmpty()) sb.append(" (result").append(keys(types, index, t.results())).append(')');
        return sb.append(')').toString();
    }

    private static String keys(List<FuncType> types, int self, List<ValType> list) {
        StringBuilder sb = new StringBuilder();
        for (ValType v : list) {
            sb.append(' ');
            if (!v.isTypedFuncRef()) {
                sb.append(v.text());
            } else {
                int k = v.heapType();
                String heap = k == self ? "rec.0" : k < self && k < types.size() ? key(types, k) : "?" + k;
                sb.append("(ref ").append(v.nullable() ? "null " : "").append(heap).append(')');
            }
        }
        return sb.toString();
    }
}
