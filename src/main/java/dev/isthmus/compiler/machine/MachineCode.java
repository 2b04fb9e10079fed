package dev.isthmus.compiler.machine;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.x64.IsaExtension;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The compiled code of one module: one position-independent blob (only relative references inside) holding every
 * defined function, and per function type an entry adapter and a host-call adapter. Immutable; shareable across
 * instances and threads.
 *
 * <pre>
 *   code()
 *   ┌────────────────────────────┐ 0
 *   │ function (first defined)   │ ← functionOffset(importCount)
 *   │ ...                        │
 *   ├────────────────────────────┤
 *   │ entry adapter, type 0      │ ← entryAdapterOffset(0)
 *   │ host adapter, type 0       │ ← hostAdapterOffset(0)
 *   │ ...                        │
 *   └────────────────────────────┘
 * </pre>
 */
public final class MachineCode {
    private final byte[] code;
    private final int importCount;
    private final int[] functionStarts;
    private final int[] functionEnds;
    private final int[] entryAdapters;
    private final int[] hostAdapters;
    private final int[] codeOffsets;
    private final int[] wasmOffsets;
    private final FrameUnwind[] unwinds;
    private final Set<IsaExtension> requiredExtensions;
    private final boolean fuelMetered;
    private final int[] typeIdSites;

    /** Code that needs no optional instruction (x86-64 with SSE2). */
    public MachineCode(byte[] code, int importCount, int[] functionStarts, int[] functionEnds, int[] entryAdapters,
                int[] hostAdapters, int[] codeOffsets, int[] wasmOffsets, FrameUnwind[] unwinds) {
        this(code, importCount, functionStarts, functionEnds, entryAdapters, hostAdapters, codeOffsets, wasmOffsets,
                unwinds, CpuFeatures.BASELINE.extensions());
    }

    /**
     * @param requiredExtensions the instruction-set extensions the code may contain: a CPU must have all of them to
     *                           run it (see {@link #requiredExtensions()})
     */
    public MachineCode(byte[] code, int importCount, int[] functionStarts, int[] functionEnds, int[] entryAdapters,
                int[] hostAdapters, int[] codeOffsets, int[] wasmOffsets, FrameUnwind[] unwinds,
                Set<IsaExtension> requiredExtensions) {
        this(code, importCount, functionStarts, functionEnds, entryAdapters, hostAdapters, codeOffsets, wasmOffsets,
                unwinds, requiredExtensions, false, new int[0]);
    }

    /**
     * @param fuelMetered whether the code meters fuel (see {@link #fuelMetered()})
     * @param typeIdSites pairs (code offset of a canonical type id's imm32, type index), see {@link #typeIdSites()}
     */
    public MachineCode(byte[] code, int importCount, int[] functionStarts, int[] functionEnds, int[] entryAdapters,
                int[] hostAdapters, int[] codeOffsets, int[] wasmOffsets, FrameUnwind[] unwinds,
                Set<IsaExtension> requiredExtensions, boolean fuelMetered, int[] typeIdSites) {
        this.fuelMetered = fuelMetered;
        this.typeIdSites = typeIdSites;
        this.requiredExtensions = Collections.unmodifiableSet(EnumSet.copyOf(requiredExtensions));
        this.unwinds = unwinds;
        this.code = code;
        this.importCount = importCount;
        this.functionStarts = functionStarts;
        this.functionEnds = functionEnds;
        this.entryAdapters = entryAdapters;
        this.hostAdapters = hostAdapters;
        this.codeOffsets = codeOffsets;
        this.wasmOffsets = wasmOffsets;
    }

    /**
     * The instruction-set extensions this code may use, so a CPU without one of them must not run it: those of the
     * {@link CpuFeatures} it was compiled for (the compiler picks instructions from that set, so it is an upper
     * bound of what the code holds). It is part of what a serialized module must keep: code loaded from a cache on
     * another machine (or with other options) is usable only where {@link CpuFeatures#hasAll} of it holds.
     */
    public Set<IsaExtension> requiredExtensions() {
        return requiredExtensions;
    }

    /**
     * Whether the code meters fuel ({@code CompilerOptions.fuel()}, see {@link FuelMetering}): its instances must
     * then have the fuel counter and stub in their vmctx, and code without it cannot count. Like
     * {@link #requiredExtensions()}, part of what a serialized module must keep.
     */
    public boolean fuelMetered() {
        return fuelMetered;
    }

    /**
     * Where the code holds canonical type ids ({@code dev.isthmus.runtime.abi.TypeIds}, the ids of
     * {@code call_indirect}'s type checks, always imm32 fields): pairs (code offset of the field, the module's type
     * index), flattened, as the compiler recorded them. The ids are process-wide, so these are the only bytes a code
     * file must patch when loaded by another process.
     */
    public int[] typeIdSites() {
        return typeIdSites.clone();
    }

    /** A copy of the machine code. */
    public byte[] code() {
        return code.clone();
    }

    /** The size of the machine code in bytes. */
    public int size() {
        return code.length;
    }

    /** The entry offset of defined function {@code functionIndex} (function index space, imports first). */
    public int functionOffset(int functionIndex) {
        if (functionIndex < importCount) throw new IllegalArgumentException("function " + functionIndex + " is imported");
        return functionStarts[functionIndex - importCount];
    }

    /** One past the last byte of defined function {@code functionIndex} (code, trap sites, tables, constants). */
    public int functionEnd(int functionIndex) {
        return functionEnds[functionIndex - importCount];
    }

    /**
     * The machine code of defined function {@code functionIndex} (prologue, body, trap sites, jump tables,
     * constants), e.g. to disassemble it at address {@link #functionOffset}.
     */
    public byte[] functionCode(int functionIndex) {
        return Arrays.copyOfRange(code, functionOffset(functionIndex), functionEnd(functionIndex));
    }

    /**
     * The entry adapter of type {@code typeIndex}: {@code long adapter(vmctx, code address, buffer)} (SysV), see
     * {@link dev.isthmus.runtime.abi.ValueBuffer}.
     */
    public int entryAdapterOffset(int typeIndex) {
        return entryAdapters[typeIndex];
    }

    /** The host-call adapter of type {@code typeIndex}, see {@link dev.isthmus.runtime.abi.ValueBuffer}. */
    public int hostAdapterOffset(int typeIndex) {
        return hostAdapters[typeIndex];
    }

    /** The unwind table shared by every entry and host-call adapter, offsets from the adapter's start. */
    public FrameUnwind adapterUnwind() {
        return AdapterEmitter.UNWIND;
    }

    /**
     * How to find the caller from any trapping instruction of defined function {@code functionIndex}, offsets from
     * {@link #functionOffset}: the table its compiler recorded while emitting the prologue (it depends on the
     * stack-check variant, on whether the function keeps the frame pointer, and on what it saves).
     */
    public FrameUnwind unwind(int functionIndex) {
        if (functionIndex < importCount) throw new IllegalArgumentException("function " + functionIndex + " is imported");
        return unwinds[functionIndex - importCount];
    }

    /** The function index (index space) whose code contains {@code codeOffset}, or -1 (adapters, padding). */
    public int functionAt(int codeOffset) {
        int i = Arrays.binarySearch(functionStarts, codeOffset);
        if (i < 0) i = -i - 2;
        if (i < 0 || codeOffset >= functionEnds[i]) return -1;
        return importCount + i;
    }

    /**
     * The module byte offset of the wasm instruction whose code contains {@code codeOffset} (for a return address,
     * pass the address minus one), or -1 outside functions.
     */
    public int wasmOffsetAt(int codeOffset) {
        if (functionAt(codeOffset) < 0) return -1;
        int i = Arrays.binarySearch(codeOffsets, codeOffset);
        if (i < 0) i = -i - 2;
        return i < 0 ? -1 : wasmOffsets[i];
    }
}
