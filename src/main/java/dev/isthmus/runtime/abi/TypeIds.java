package dev.isthmus.runtime.abi;

import dev.isthmus.model.FuncType;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
     * The last id given. Not {@code IDS.size() + 1}: two threads registering different types at once (their map
     * bins lock separately) could both see the same size and give two types one id.
     */
    private static final AtomicInteger NEXT = new AtomicInteger();

    /**
     * A substitution of the ids that {@link #of} answers on this thread, bound only while a code file's writer
     * compiles a module a second time to find where the ids sit in its code (see
     * {@code dev.isthmus.serialize.TypeIdSites}); never bound otherwise.
     */
    public static final ScopedValue<IntUnaryOperator> SUBSTITUTE = ScopedValue.newInstance();

    /** The canonical id of {@code type}, a positive int. */
    public static int of(FuncType type) {
        int id = IDS.computeIfAbsent(type, t -> NEXT.incrementAndGet());
        return SUBSTITUTE.isBound() ? SUBSTITUTE.get().applyAsInt(id) : id;
    }
}
