package dev.isthmus.runtime.loader;

import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.HandlerSource;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;

import java.util.Arrays;
import java.util.Optional;

/**
 * The owner of this module's arenas in the code registry: finds the chunk of a PC (chunks sorted by address,
 * an immutable snapshot replaced on each publication, so that lookups take no lock).
 */
final class ChunkFrames implements WasmFrameSource, FrameUnwindSource, HandlerSource {
    private volatile long[] starts = new long[0];
    private volatile LazyChunk[] chunks = new LazyChunk[0];

    /** Called with the owner's lock held (one writer at a time). */
    void add(LazyChunk chunk) {
        long[] oldStarts = starts;
        LazyChunk[] oldChunks = chunks;
        int at = Arrays.binarySearch(oldStarts, chunk.address());
        if (at >= 0) throw new IllegalStateException("two chunks at one address");
        at = -at - 1;
        long[] newStarts = new long[oldStarts.length + 1];
        LazyChunk[] newChunks = new LazyChunk[oldChunks.length + 1];
        System.arraycopy(oldStarts, 0, newStarts, 0, at);
        System.arraycopy(oldChunks, 0, newChunks, 0, at);
        newStarts[at] = chunk.address();
        newChunks[at] = chunk;
        System.arraycopy(oldStarts, at, newStarts, at + 1, oldStarts.length - at);
        System.arraycopy(oldChunks, at, newChunks, at + 1, oldChunks.length - at);
        chunks = newChunks;                              // chunks first: a reader pairs starts with chunks
        starts = newStarts;
    }

    private LazyChunk at(long pc) {
        long[] s = starts;
        LazyChunk[] c = chunks;
        int i = Arrays.binarySearch(s, pc);
        if (i < 0) i = -i - 2;
        if (i < 0 || i >= c.length) return null;
        LazyChunk chunk = c[i];
        return chunk.address() == s[i] && pc < chunk.end() ? chunk : null;
    }

    @Override
    public Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
        LazyChunk c = at(returnAddress ? pc - 1 : pc);
        return c == null ? Optional.empty() : c.frameAt(pc, returnAddress);
    }

    @Override
    public boolean isWasmFrame(long pc, boolean returnAddress) {
        LazyChunk c = at(returnAddress ? pc - 1 : pc);
        return c != null && c.isWasmFrame(pc, returnAddress);
    }

    @Override
    public long unwindStepAt(long pc) {
        LazyChunk c = at(pc);
        return c == null ? NO_STEP : c.unwindStepAt(pc, NO_STEP);
    }

    @Override
    public FunctionAt functionAt(long pc) {
        LazyChunk c = at(pc);
        return c == null ? null : c.functionAt(pc);
    }
}
