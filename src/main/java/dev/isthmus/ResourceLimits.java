package dev.isthmus;

/**
 * Fixed caps on what instances of an engine may allocate, set with {@link Isthmus.Builder#limits}; each below the
 * module's own declared maxima, which still apply. {@link #NONE} (the default) caps nothing but what the runtime
 * itself allocates (tables of at most 10,000,000 elements).
 *
 * <ul>
 * <li>{@code maxMemoryBytes}: the most bytes each memory an instance defines may have. A module whose declared
 *     minimum is larger fails {@link CompiledModule#instantiate} with {@link UninstantiableException}; a grow past
 *     it returns -1 ({@code memory.grow} from wasm, {@link Memory#grow} from Java), as the spec allows.</li>
 * <li>{@code maxTableElements}: the same for each table an instance defines ({@code table.grow}, {@link Table#grow}).
 *     </li>
 * <li>{@code maxInstances}: the most instances of the engine alive at once (of every module it compiled): further
 *     instantiations fail with {@link UninstantiableException} until one is freed (closed and its last call
 *     returned, or reclaimed by its Cleaner). An instantiation that fails does not hold a slot.</li>
 * <li>{@code maxTables}: the most tables the live instances of the engine may define, together: an instantiation
 *     whose module defines more tables than are left fails with {@link UninstantiableException}; a freed instance
 *     gives its tables back. Imported tables do not count (whoever defined them counted them), nor do tables made
 *     with {@link Table#create}.</li>
 * <li>{@code maxMemories}: the same for memories.</li>
 * </ul>
 *
 * Memories and tables an instance imports keep the limits of whoever created them ({@link Memory#create} and
 * {@link Table#create} make unlimited ones). Like wasmtime's {@code StoreLimits}, but per engine: Isthmus has no
 * store, so the counts of instances, tables and memories are of the engine's live instances (wasmtime counts every
 * instance a store ever made, with the tables and memories their modules define, until the store is dropped).
 *
 * @param maxMemoryBytes bytes per memory ({@link Long#MAX_VALUE}: no cap)
 * @param maxTableElements elements per table ({@link Long#MAX_VALUE}: no cap)
 * @param maxInstances live instances per engine ({@link Integer#MAX_VALUE}: no cap)
 * @param maxTables tables defined by the live instances of the engine ({@link Integer#MAX_VALUE}: no cap)
 * @param maxMemories memories defined by the live instances of the engine ({@link Integer#MAX_VALUE}: no cap)
 */
public record ResourceLimits(long maxMemoryBytes, long maxTableElements, int maxInstances, int maxTables,
                             int maxMemories) {
    /** No caps. */
    public static final ResourceLimits NONE = new ResourceLimits(Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE);

    public ResourceLimits {
        if (maxMemoryBytes < 0) throw new IllegalArgumentException("negative maxMemoryBytes: " + maxMemoryBytes);
        if (maxTableElements < 0) throw new IllegalArgumentException("negative maxTableElements: " + maxTableElements);
        if (maxInstances < 0) throw new IllegalArgumentException("negative maxInstances: " + maxInstances);
        if (maxTables < 0) throw new IllegalArgumentException("negative maxTables: " + maxTables);
        if (maxMemories < 0) throw new IllegalArgumentException("negative maxMemories: " + maxMemories);
    }

    /** The first three limits, with no cap on tables and memories. */
    public ResourceLimits(long maxMemoryBytes, long maxTableElements, int maxInstances) {
        this(maxMemoryBytes, maxTableElements, maxInstances, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from {@link #NONE}. */
    public static final class Builder {
        private long maxMemoryBytes = Long.MAX_VALUE;
        private long maxTableElements = Long.MAX_VALUE;
        private int maxInstances = Integer.MAX_VALUE;
        private int maxTables = Integer.MAX_VALUE;
        private int maxMemories = Integer.MAX_VALUE;

        private Builder() {
        }

        /** Bytes per memory (a multiple of the 64 KiB page size is the natural choice). */
        public Builder maxMemoryBytes(long bytes) {
            this.maxMemoryBytes = bytes;
            return this;
        }

        public Builder maxTableElements(long elements) {
            this.maxTableElements = elements;
            return this;
        }

        public Builder maxInstances(int instances) {
            this.maxInstances = instances;
            return this;
        }

        /** Tables defined by the live instances of the engine, together. */
        public Builder maxTables(int tables) {
            this.maxTables = tables;
            return this;
        }

        /** Memories defined by the live instances of the engine, together. */
        public Builder maxMemories(int memories) {
            this.maxMemories = memories;
            return this;
        }

        public ResourceLimits build() {
            return new ResourceLimits(maxMemoryBytes, maxTableElements, maxInstances, maxTables, maxMemories);
        }
    }
}
