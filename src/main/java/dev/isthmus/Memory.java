package dev.isthmus;

import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.runtime.memory.LinearMemory;
import java.lang.foreign.MemorySegment;

/**
 * A wasm linear memory: an instance's export, or one made by the embedder to import
 * ({@link #create(long, long)}; close it when no instance uses it any more). Sizes are in 64 KiB pages.
 */
public final class Memory implements AutoCloseable {
    private final LinearMemory memory;
    private final boolean owned;
    /** The instance that exported it, or null: importing it makes the importer depend on that instance. */
    Instance exporter;

    Memory(LinearMemory memory, boolean owned) {
        this.memory = memory;
        this.owned = owned;
    }

    /** A zeroed memory of {@code minPages}, growable to {@code maxPages} (-1 for no maximum), guard-page mode. */
    public static Memory create(long minPages, long maxPages) {
        return create(minPages, maxPages, BoundsChecks.GUARD_PAGES);
    }

    /** Like {@link #create(long, long)} for modules compiled with {@code boundsChecks}. */
    public static Memory create(long minPages, long maxPages, BoundsChecks boundsChecks) {
        return new Memory(LinearMemory.create(new MemoryType(new Limits(minPages, maxPages < 0 ? Limits.NO_MAX
                : maxPages)), boundsChecks), true);
    }

    LinearMemory runtime() {
        return memory;
    }

    /** Current size in pages. */
    public long pages() {
        return memory.pages();
    }

    /** Current size in bytes. */
    public long byteSize() {
        return memory.byteSize();
    }

    /** Grows by {@code deltaPages}; the old size in pages, or -1 if the maximum would be exceeded. */
    public long grow(long deltaPages) {
        return memory.grow(deltaPages);
    }

    /**
     * The current bytes as a segment bounded to the current size (take a new one after growing). Using it after
     * the memory is closed throws IllegalStateException.
     */
    public MemorySegment segment() {
        return memory.segment();
    }

    /** Copies {@code length} bytes at {@code offset}. */
    public byte[] read(long offset, int length) {
        return segment().asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** Writes {@code bytes} at {@code offset}. */
    public void write(long offset, byte[] bytes) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment(), offset, bytes.length);
    }

    /** Frees a memory made with {@link #create}; a no-op for an instance's memory (closed with the instance). */
    @Override
    public void close() {
        if (owned) memory.close();
    }
}
