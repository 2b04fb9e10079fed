package dev.isthmus.runtime.loader;

import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.instance.ModuleCode;
import dev.isthmus.runtime.instance.NativeLifetime;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.HandlerSource;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A module's machine code mapped executable and registered with the runtime: in the signal shim's code table (so
 * its faults are traps) and in the code registry with itself as owner, naming backtrace frames
 * ({@link WasmFrameSource}) with the name section's function names, else export names.
 *
 * <pre>
 *   CodeMemory [address, address + size)  ──registered──▶ FaultTables.code()   (faults here are traps)
 *                                         ──owner──────▶ this (pc → function index, wasm offset, name;
 *                                                                pc → unwind step, from the function's table)
 * </pre>
 * Functions answer unwind queries from their own tables ({@link CodeMap#unwind}); the adapters (entry and
 * host-call, laid out after the functions) share one table ({@link CodeMap#adapterUnwind}), so a host exit refused at
 * the limit (the trap is raised with the adapter's return address) is walked through the adapter to the wasm
 * caller.
 */
public final class LoadedCode implements ModuleCode, WasmFrameSource, FrameUnwindSource, HandlerSource,
        AutoCloseable {
    /** Where things are in the code bytes, as the compiler laid them out. */
    public interface CodeMap {
        int functionOffset(int functionIndex);

        int entryAdapterOffset(int typeIndex);

        int hostAdapterOffset(int typeIndex);

        /** The function whose body contains {@code codeOffset}, or -1. */
        int functionAt(int codeOffset);

        /** The wasm byte offset of the instruction at {@code codeOffset}, or -1. */
        int wasmOffsetAt(int codeOffset);

        /**
         * The unwind table of defined function {@code functionIndex}, offsets from {@link #functionOffset}, or
         * {@code null} when it has none.
         */
        FrameUnwind unwind(int functionIndex);

        /** The unwind table every entry and host-call adapter shares, offsets from the adapter's start. */
        FrameUnwind adapterUnwind();
    }

    private final CodeMap map;
    private final CodeMemory memory;
    private final Registration registration;
    private final Map<Integer, String> names = new HashMap<>();
    /** Unwind tables by function index, fetched from the map on first use (racy but idempotent). */
    private final AtomicReferenceArray<FrameUnwind> unwindTables;
    /** Where each adapter starts, ascending. */
    private final int[] adapterStarts;
    /** Module offset of each defined function's body: what a PC in a prologue reports (no instruction yet). */
    private final int[] bodyOffsets;
    private final int importedFunctions;

    /** The owner's (the module's) use and one per instance: the code is unmapped when the last one is given back. */
    private final NativeLifetime lifetime =
            new NativeLifetime("module", this::free);

    public LoadedCode(WasmModule module, byte[] code, CodeMap map) {
        this.map = map;
        this.unwindTables = new AtomicReferenceArray<>(module.functionCount());
        this.adapterStarts = adapterStarts(module.types().size(), map);
        this.importedFunctions = module.importedFunctionCount();
        this.bodyOffsets = module.codes().stream().mapToInt(body -> body.codeOffset()).toArray();
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC) names.putIfAbsent(e.index(), e.name());
        }
        names.putAll(module.names().functionNames());
        this.memory = CodeMemory.allocate(Math.max(code.length, 1), this);
        try {
            memory.write(0, code);
            memory.seal();
            this.registration = FaultTables.registerCode(memory);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
        if (PerfMap.enabled()) PerfMap.append(perfMapLines(module, code.length));
    }

    /**
     * The {@link PerfMap} lines of the defined functions: each from its offset to the next function's or adapter's
     * start (the code is laid out as functions, then adapters).
     */
    private String perfMapLines(WasmModule module, int codeLength) {
        int defined = module.functionCount() - importedFunctions;
        int[] starts = new int[defined + adapterStarts.length + 1];
        for (int i = 0; i < defined; i++) starts[i] = map.functionOffset(importedFunctions + i);
        System.arraycopy(adapterStarts, 0, starts, defined, adapterStarts.length);
        starts[starts.length - 1] = codeLength;
        int[] sorted = starts.clone();
        Arrays.sort(sorted);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < defined; i++) {
            int start = starts[i];
            int next = Arrays.binarySearch(sorted, start);
            while (next < sorted.length && sorted[next] <= start) next++;  // the first start after this one
            int end = next < sorted.length ? sorted[next] : codeLength;
            int function = importedFunctions + i;
            String name = module.names().functionNames().get(function);
            lines.append(PerfMap.line(memory.address() + start, end - start,
                    name != null ? name : "wasm-function[" + function + "]"));
        }
        return lines.toString();
    }

    @Override
    public long functionAddress(int functionIndex) {
        return memory.address() + map.functionOffset(functionIndex);
    }

    @Override
    public long entryAdapterAddress(int typeIndex) {
        return memory.address() + map.entryAdapterOffset(typeIndex);
    }

    @Override
    public long hostAdapterAddress(int typeIndex) {
        return memory.address() + map.hostAdapterOffset(typeIndex);
    }

    @Override
    public NativeLifetime lifetime() {
        return lifetime;
    }

    @Override
    public Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
        long offset = pc - memory.address() - (returnAddress ? 1 : 0);
        if (offset < 0 || offset >= memory.size()) return Optional.empty();
        int function = map.functionAt((int) offset);
        if (function < 0) return Optional.empty();
        int wasmOffset = map.wasmOffsetAt((int) offset);
        if (wasmOffset < 0 && function >= importedFunctions && function - importedFunctions < bodyOffsets.length) {
            wasmOffset = bodyOffsets[function - importedFunctions]; // in the prologue (e.g. a stack probe)
        }
        return Optional.of(new TrapFrame(function, Optional.ofNullable(names.get(function)), wasmOffset));
    }

    @Override
    public boolean isWasmFrame(long pc, boolean returnAddress) {
        long offset = pc - memory.address() - (returnAddress ? 1 : 0);
        return offset >= 0 && offset < memory.size() && map.functionAt((int) offset) >= 0;
    }

    @Override
    public long unwindStepAt(long pc) {
        long offset = pc - memory.address();
        if (offset < 0 || offset >= memory.size()) return NO_STEP;
        int function = map.functionAt((int) offset);
        if (function < 0) return adapterStepAt((int) offset);
        if (function >= unwindTables.length()) return NO_STEP;
        FrameUnwind table = unwindTables.get(function);
        if (table == null) {
            table = map.unwind(function);
            if (table == null) return NO_STEP;
            unwindTables.set(function, table);
        }
        return table.stepAt((int) offset - map.functionOffset(function));
    }

    /**
     * For exception dispatch: the unwind table of the wasm function containing {@code pc} and the function's
     * entry address, or null when {@code pc} is not in a function (an adapter, or outside this code).
     */
    @Override
    public FunctionAt functionAt(long pc) {
        long offset = pc - memory.address();
        if (offset < 0 || offset >= memory.size()) return null;
        int function = map.functionAt((int) offset);
        if (function < 0 || function >= unwindTables.length()) return null;
        FrameUnwind table = unwindTables.get(function);
        if (table == null) {
            table = map.unwind(function);
            if (table == null) return null;
            unwindTables.set(function, table);
        }
        return new FunctionAt(memory.address() + map.functionOffset(function), table);
    }

    private long adapterStepAt(int offset) {
        int i = Arrays.binarySearch(adapterStarts, offset);
        if (i < 0) i = -i - 2;                                 // the last adapter starting at or before offset
        return i < 0 ? NO_STEP : map.adapterUnwind().stepAt(offset - adapterStarts[i]);
    }

    private static int[] adapterStarts(int typeCount, CodeMap map) {
        int[] starts = new int[2 * typeCount];
        int count = 0;
        for (int t = 0; t < typeCount; t++) {
            try {
                starts[count++] = map.entryAdapterOffset(t);
                starts[count++] = map.hostAdapterOffset(t);
            } catch (UnsupportedOperationException noAdapter) {
                count = 2 * t;                                   // a type without adapters (v128)
            }
        }
        int[] sorted = Arrays.copyOf(starts, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Gives back the owner's use: the code is unregistered and unmapped now if no instance of it is left, else when
     * the last one is freed. Idempotent.
     */
    @Override
    public void close() {
        lifetime.close();
    }

    private void free() { // NativeLifetime runs it exactly once
        registration.close();
        memory.close();
    }
}
