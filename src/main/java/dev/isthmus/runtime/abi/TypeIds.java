package dev.isthmus.runtime.abi;

import dev.isthmus.model.FuncType;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical function-type ids, process-wide: structurally equal {@link FuncType}s get the same id, so
 * {@code call_indirect} checks a signature with one integer compare, across modules and instances. Ids are known
 * at compile time and baked into code as immediates. Never 0 (so a zeroed func ref never matches).
 */
public final class TypeIds {
    private TypeIds() {}

    private static final ConcurrentHashMap<FuncType, Integer> IDS = new ConcurrentHashMap<>();

    /** The canonical id of {@code type}, a positive int. */
    public static int of(FuncType type) {
        return IDS.computeIfAbsent(type, t -> IDS.size() + 1);
    }
}
