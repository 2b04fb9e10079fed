package dev.isthmus.runtime.abi;

import dev.isthmus.model.FuncType;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;

/**
 * Canonical function-type ids, process-wide: structurally equal {@link FuncType}s get the same id, so
 * {@code call_indirect} checks a signature with one integer compare, across modules and instances. Ids are known
 * at compile time and baked into code as immediates. Never 0 (so a zeroed func ref never matches).
 */
public final class TypeIds {
    private TypeIds() {}

    private static final ConcurrentHashMap<FuncType, Integer> IDS = new ConcurrentHashMap<>();

    /**
     * A substitution of the ids that {@link #of} answers on this thread, bound only while a code file's writer
     * compiles a module a second time to find where the ids sit in its code (see
     * {@code dev.isthmus.serialize.TypeIdSites}); never bound otherwise.
     */
    public static final ScopedValue<IntUnaryOperator> SUBSTITUTE = ScopedValue.newInstance();

    /** The canonical id of {@code type}, a positive int. */
    public static int of(FuncType type) {
        int id = IDS.computeIfAbsent(type, t -> IDS.size() + 1);
        return SUBSTITUTE.isBound() ? SUBSTITUTE.get().applyAsInt(id) : id;
    }
}
