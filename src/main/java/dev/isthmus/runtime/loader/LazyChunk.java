package dev.isthmus.runtime.loader;

import dev.isthmus.runtime.abi.CompiledChunk;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.HandlerSource;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;

import java.util.Arrays;
import java.util.Optional;

/**
 * One {@link CompiledChunk} of a {@link LazyCode} mapped executable, registered with the signal shim and owning its
 * range in the code registry: it names the wasm frames in it and unwinds them, as {@link LoadedCode} does for a
 * whole module's code.
 */
final class LazyChunk implements WasmFrameSource, FrameUnwindSource, HandlerSource {
    private final LazyCode owner;
    private final CompiledChunk chunk;
    private final CodeMemory memory;
    private final Registration registration;
    /** The functions' entries, ascending (the chunk lays them out in order). */
    private final int[] entries;

    private LazyChunk(LazyCode owner, CompiledChunk chunk, CodeMemory memory, Registration registration) {
        this.owner = owner;
        this.chunk = chunk;
        this.memory = memory;
        this.registration = registration;
        this.entries = chunk.entries();
    }

    /** Maps {@code chunk}'s code (R+X) and registers it. */
    static LazyChunk map(LazyCode owner, CompiledChunk chunk) {
        for (int i = 1; i < chunk.entries().length; i++) {
            if (chunk.entries()[i] <= chunk.entries()[i - 1]) throw new IllegalArgumentException("entries not ascending");
        }
        LazyChunk[] made = new LazyChunk[1];
        CodeMemory memory = CodeMemory.allocate(Math.max(chunk.code().length, 1), new Deferred(made));
        try {
            memory.write(0, chunk.code());
            memory.seal();
            Registration registration = FaultTables.registerCode(memory);
            made[0] = new LazyChunk(owner, chunk, memory, registration);
            return made[0];
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /**
     * The registry's owner of a chunk's range: the chunk itself once it exists (the range is registered when the
     * memory is allocated, before the code is written; nothing runs there until the chunk is published).
     */
    private record Deferred(LazyChunk[] chunk) implements WasmFrameSource, FrameUnwindSource, HandlerSource {
        @Override
        public Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
            LazyChunk c = chunk[0];
            return c == null ? Optional.empty() : c.frameAt(pc, returnAddress);
        }

        @Override
        public boolean isWasmFrame(long pc, boolean returnAddress) {
            LazyChunk c = chunk[0];
            return c != null && c.isWasmFrame(pc, returnAddress);
        }

        @Override
        public long unwindStepAt(long pc) {
            LazyChunk c = chunk[0];
            return c == null ? NO_STEP : c.unwindStepAt(pc);
        }

        @Override
        public FunctionAt functionAt(long pc) {
            LazyChunk c = chunk[0];
            return c == null ? null : c.functionAt(pc);
        }
    }

    long address() {
        return memory.address();
    }

    /** The index into the chunk's arrays of the function whose code contains {@code offset}, or -1. */
    private int indexAt(long offset) {
        if (offset < 0 || offset >= memory.size()) return -1;
        int i = Arrays.binarySearch(entries, (int) offset);
        if (i < 0) i = -i - 2;
        return i < 0 || offset >= chunk.ends()[i] ? -1 : i;
    }

    @Override
    public Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
        long offset = pc - memory.address() - (returnAddress ? 1 : 0);
        int i = indexAt(offset);
        if (i < 0) return Optional.empty();
        int function = chunk.functions()[i];
        int k = Arrays.binarySearch(chunk.codeOffsets(), (int) offset);
        if (k < 0) k = -k - 2;
        int wasmOffset = k >= 0 && chunk.codeOffsets()[k] >= entries[i]
                ? chunk.wasmOffsets()[k] : owner.bodyOffset(function);      // in the prologue: no instruction yet
        return Optional.of(new TrapFrame(function, Optional.ofNullable(owner.nameOf(function)), wasmOffset));
    }

    @Override
    public boolean isWasmFrame(long pc, boolean returnAddress) {
        return indexAt(pc - memory.address() - (returnAddress ? 1 : 0)) >= 0;
    }

    @Override
    public long unwindStepAt(long pc) {
        long offset = pc - memory.address();
        int i = indexAt(offset);
        return i < 0 ? NO_STEP : chunk.unwinds()[i].stepAt((int) offset - entries[i]);
    }

    @Override
    public FunctionAt functionAt(long pc) {
        int i = indexAt(pc - memory.address());
        return i < 0 ? null : new FunctionAt(memory.address() + entries[i], chunk.unwinds()[i]);
    }

    /** The {@link PerfMap} lines of the chunk's functions. */
    String perfMapLines() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < entries.length; i++) {
            int function = chunk.functions()[i];
            String name = owner.nameOf(function);
            lines.append(PerfMap.line(memory.address() + entries[i], chunk.ends()[i] - entries[i],
                    name != null ? name : "wasm-function[" + function + "]"));
        }
        return lines.toString();
    }

    void free() {
        registration.close();
        memory.close();
    }
}
