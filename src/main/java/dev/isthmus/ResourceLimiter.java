package dev.isthmus;

/**
 * Decides, grow by grow, whether a memory or table an instance defines may grow: set per engine with
 * {@link Isthmus.Builder#limiter} or per instance with
 * {@link CompiledModule#instantiate(Imports, Object, ResourceLimiter)} (like wasmtime's {@code ResourceLimiter}, which
 * is per store). It is asked after the
 * {@link ResourceLimits} and the type's maximum allowed the grow, for grows from wasm ({@code memory.grow},
 * {@code table.grow}) and from Java ({@link Memory#grow}, {@link Table#grow}), and once per memory and table at
 * instantiation, from 0 to the declared minimum. A grow by 0 does not ask.
 *
 * <ul>
 * <li>return {@code true}: the grow happens;</li>
 * <li>return {@code false}: the grow fails without a trap — it returns -1, as the spec allows — or, for the
 *     initial size, instantiation fails with {@link UninstantiableException};</li>
 * <li>throw an unchecked exception: the grow traps. The exception comes out of the call into wasm unchanged, with
 *     the wasm frames attached as a suppressed {@link WasmBacktrace} (as a host function's unchecked exception
 *     does), out of {@link Memory#grow}/{@link Table#grow}, or out of {@link CompiledModule#instantiate}.</li>
 * </ul>
 *
 * It runs on the thread that grows, while the memory or table is locked: it may be called from several threads at
 * once (for different instances) and must not grow the same memory or table itself. Both methods allow by default.
 */
public interface ResourceLimiter {
    /**
     * A memory grows from {@code currentBytes} to {@code desiredBytes}.
     *
     * @param maximumBytes the memory type's declared maximum in bytes, or -1 if it declares none
     */
    default boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
        return true;
    }

    /**
     * A table grows from {@code currentElements} to {@code desiredElements}.
     *
     * @param maximumElements the table type's declared maximum, or -1 if it declares none
     */
    default boolean tableGrowing(long currentElements, long desiredElements, long maximumElements) {
        return true;
    }
}
