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
 * </ul>
 *
 * Memories and tables an instance imports keep the limits of whoever created them ({@link Memory#create} and
 * {@link Table#create} make unlimited ones). Like wasmtime's {@code StoreLimits}, but per engine.
 *
 * @param maxMemoryBytes bytes per memory ({@link Long#MAX_VALUE}: no cap)
 * @param maxTableElements elements per table ({@link Long#MAX_VALUE}: no cap)
 * @param maxInstances live instances per engine ({@link Integer#MAX_VALUE}: no cap)
 */
public record ResourceLimits(long maxMemoryBytes, long maxTableElements, int maxInstances) {
    /** No caps. */
    public static final ResourceLimits NONE = new ResourceLimits(Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);

    public ResourceLimits {
        if (maxMemoryBytes < 0) throw new IllegalArgumentException("negative maxMemoryBytes: " + maxMemoryBytes);
        if (maxTableElements < 0) throw new IllegalArgumentException("negative maxTableElements: " + maxTableElements);
        if (maxInstances < 0) throw new IllegalArgumentException("negative maxInstances: " + maxInstances);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from {@link #NONE}. */
    public static final class Builder {
        private long maxMemoryBytes = Long.MAX_VALUE;
        private long maxTableElements = Long.MAX_VALUE;
        private int maxInstances = Integer.MAX_VALUE;

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

        public ResourceLimits build() {
            return new ResourceLimits(maxMemoryBytes, maxTableElements, maxInstances);
        }
    }
}
