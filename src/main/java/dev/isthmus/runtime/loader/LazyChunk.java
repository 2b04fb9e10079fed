package dev.isthmus.runtime.loader;

import dev.isthmus.runtime.abi.CompiledChunk;
import dev.isthmus.runtime.trap.HandlerSource;
import dev.isthmus.runtime.trap.TrapFrame;

import java.util.Arrays;
import java.util.Optional;

/**
 * One {@link CompiledChunk} of a {@link LazyCode} placed in one of its code arenas: names the wasm frames in it and
 * unwinds them, as {@link LoadedCode} does for a whole module's code. {@link LazyCode}'s frame index finds the
 * chunk of a PC.
 */
final class LazyChunk {
    private final LazyCode owner;
    /** The chunk without its code bytes (they are in the arena; the heap need not keep a copy). */
    private final CompiledChunk chunk;
    private final long address;
    private final int length;
    /** The functions' entries, ascending (the chunk lays them out in order). */
    private final int[] entries;

    LazyChunk(LazyCode owner, CompiledChunk chunk, long address) {
        for (int i = 1; i < chunk.entries().length; i++) {
            if (chunk.entries()[i] <= chunk.entries()[i - 1]) throw new IllegalArgumentException("entries not ascending");
        }
        this.owner = owner;
        this.chunk = new CompiledChunk(new byte[0], chunk.functions(), chunk.entries(), chunk.ends(),
                chunk.codeOffsets(), chunk.wasmOffsets(), chunk.unwinds(), chunk.optimized());
        this.address = address;
        this.length = chunk.code().length;
        this.entries = chunk.entries();
    }

    long address() {
        return address;
    }

    long end() {
        return address + length;
    }

    /** The index into the chunk's arrays of the function whose code contains {@code offset}, or -1. */
    private int indexAt(long offset) {
        if (offset < 0 || offset >= length) return -1;
        int i = Arrays.binarySearch(entries, (int) offset);
        if (i < 0) i = -i - 2;
        return i < 0 || offset >= chunk.ends()[i] ? -1 : i;
    }

    Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
        long offset = pc - address - (returnAddress ? 1 : 0);
        int i = indexAt(offset);
        if (i < 0) return Optional.empty();
        int function = chunk.functions()[i];
        int k = Arrays.binarySearch(chunk.codeOffsets(), (int) offset);
        if (k < 0) k = -k - 2;
        int wasmOffset = k >= 0 && chunk.codeOffsets()[k] >= entries[i]
                ? chunk.wasmOffsets()[k] : owner.bodyOffset(function);      // in the prologue: no instruction yet
        return Optional.of(new TrapFrame(function, Optional.ofNullable(owner.nameOf(function)), wasmOffset));
    }

    boolean isWasmFrame(long pc, boolean returnAddress) {
        return indexAt(pc - address - (returnAddress ? 1 : 0)) >= 0;
    }

    /** The unwind step at {@code pc}, or {@code FrameUnwindSource.NO_STEP}. */
    long unwindStepAt(long pc, long noStep) {
        long offset = pc - address;
        int i = indexAt(offset);
        return i < 0 ? noStep : chunk.unwinds()[i].stepAt((int) offset - entries[i]);
    }

    HandlerSource.FunctionAt functionAt(long pc) {
        int i = indexAt(pc - address);
        return i < 0 ? null : new HandlerSource.FunctionAt(address + entries[i], chunk.unwinds()[i]);
    }

    /** The {@link PerfMap} lines of the chunk's functions. */
    String perfMapLines() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < entries.length; i++) {
            int function = chunk.functions()[i];
            String name = owner.module().names().functionNames().get(function);   // as LoadedCode's lines
            lines.append(PerfMap.line(address + entries[i], chunk.ends()[i] - entries[i],
                    name != null ? name : "wasm-function[" + function + "]"));
        }
        return lines.toString();
    }
}
