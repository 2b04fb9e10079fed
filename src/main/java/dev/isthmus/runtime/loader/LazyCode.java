package dev.isthmus.runtime.loader;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.Compilation;
import dev.isthmus.os.NativeHeap;
import dev.isthmus.runtime.abi.CompiledChunk;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.LazyTable;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.code.CodeArena;
import dev.isthmus.runtime.instance.LazyCalls;
import dev.isthmus.runtime.instance.ModuleCode;
import dev.isthmus.runtime.instance.NativeLifetime;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A module whose functions are compiled when first called ({@link Compilation#LAZY}, {@link Compilation#TIERED}).
 * At load only the adapters and one stub per function are mapped; a function's func ref in every instance points at
 * its stub until the function is compiled, and code calls the module's functions through func refs, so publishing a
 * function is writing data (the module's {@link LazyTable} and each attached instance's func refs), never code.
 *
 * <pre>
 *   base code (mapped at load, R+X)
 *   ┌───────────────────────────────┐
 *   │ entry and host-call adapters  │  per type, as eager code has them
 *   │ lazy handler                  │  r11d = function:  rax = table[r11].entry; if rax != 0: jmp rax
 *   │                               │    else save the argument registers, compile through the host-call
 *   │                               │    bridge (LazyCalls.compileUpcall), restore, jmp to the entry
 *   │ stub[f], 16 bytes each        │  mov r11d, f; jmp handler
 *   └───────────────────────────────┘
 *   chunks (code arenas, R+X pages)  functions compiled together: a called function and the callees it reaches
 *                                    by direct calls that have no code yet, up to BATCH_BYTES of wasm; or the
 *                                    functions the tier-up thread recompiles
 * </pre>
 * The stub is also where a stale func ref lands (an import's copy made before the function was compiled): the
 * handler's first load finds the entry and jumps there without leaving the wasm stack.
 *
 * <p>Code is never unmapped before the module is freed: an activation of a function's old code (baseline code
 * replaced by the optimizing tier's) runs to its end in it. Compiling happens outside the lock; publishing under
 * it, only for functions whose new code is of a higher tier than what they have.
 */
public final class LazyCode implements ModuleCode, AutoCloseable {
    /** Compiles functions (defined, function index space) into a chunk, by the optimizing tier when asked. */
    @FunctionalInterface
    public interface ChunkCompiler {
        CompiledChunk compile(int[] functions, boolean optimizing);
    }

    /** The most wasm body bytes compiled together on a call (the called function is always compiled). */
    static final int BATCH_BYTES = 8 * 1024;
    /**
     * Calls and loop iterations before a baseline function is queued for the optimizing tier: system property
     * {@code isthmus.tierUpBudget}, else 20,000.
     */
    public static final int DEFAULT_TIER_UP_BUDGET = Integer.getInteger("isthmus.tierUpBudget", 20_000);

    /** Per function: no code yet, baseline code that may still tier up, final code. */
    private static final byte NONE = 0;
    private static final byte TIERING = 1;
    private static final byte FINAL = 2;

    private final WasmModule module;
    private final Compilation mode;
    /** Whether first calls compile with the optimizing tier (LAZY with the optimizing tier). */
    private final boolean optimizingFirst;
    private final ChunkCompiler compiler;
    private final int imports;
    private final int tierUpBudget;
    private final VmContextLayout layout;
    private final long table;
    private final LazyBase base;
    private final Map<Integer, String> names = new HashMap<>();
    final int[] bodyOffsets;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final byte[] state;
    /** Where chunks are placed: a new arena when the last one is full. Guarded by {@link #lock}. */
    private final List<CodeArena> arenas = new ArrayList<>();
    private final List<Registration> arenaRegistrations = new ArrayList<>();
    private final long arenaBytes;
    private final ChunkFrames frames = new ChunkFrames();
    private final Set<Long> contexts = new LinkedHashSet<>();
    private boolean freed;
    /** Functions queued for the optimizing tier or compiled by it, guarded by {@link #lock}. */
    private final boolean[] tierUpRequested;
    private int tierUps;
    private Throwable tierUpFailure;

    private final NativeLifetime lifetime = new NativeLifetime("module", this::free);

    /**
     * Maps the adapters and the stubs of {@code module}; no function is compiled.
     *
     * @param adapterCode   the adapters of every type, {@code entryAdapters[t]}/{@code hostAdapters[t]} into it,
     *                      all described by {@code adapterUnwind}
     * @param tierUpBudget  the budget of a baseline function under {@link Compilation#TIERED}
     */
    public LazyCode(WasmModule module, Compilation mode, boolean optimizingFirst, ChunkCompiler compiler,
                    byte[] adapterCode, int[] entryAdapters, int[] hostAdapters, FrameUnwind adapterUnwind,
                    int tierUpBudget) {
        if (!mode.lazy()) throw new IllegalArgumentException("eager code is LoadedCode");
        this.module = module;
        this.mode = mode;
        this.optimizingFirst = optimizingFirst && mode == Compilation.LAZY;
        this.compiler = compiler;
        this.imports = module.importedFunctionCount();
        this.tierUpBudget = tierUpBudget;
        this.layout = VmContextLayout.of(module);
        this.bodyOffsets = module.codes().stream().mapToInt(body -> body.codeOffset()).toArray();
        int functions = module.functionCount();
        this.state = new byte[functions];
        this.tierUpRequested = new boolean[functions];
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC) names.putIfAbsent(e.index(), e.name());
        }
        names.putAll(module.names().functionNames());
        long codeBytes = module.codeBytes();
        // baseline code is ~4x its wasm, the optimizing tier's less, a chunk's last page partly empty: addresses only
        this.arenaBytes = Math.min(Math.max(8 * codeBytes, 16L << 20), 1L << 30);
        this.table = NativeHeap.allocate(LazyTable.bytes(functions));
        try {
            for (int f = imports; f < functions; f++) {
                NativeHeap.putInt(table + LazyTable.budget(f), tierUpBudget);
            }
            this.base = new LazyBase(adapterCode, entryAdapters, hostAdapters, adapterUnwind, table, imports,
                    functions);
        } catch (RuntimeException | Error e) {
            NativeHeap.free(table);
            throw e;
        }
    }

    // ---------------------------------------------------------------- ModuleCode

    @Override
    public boolean compilesOnCall() {
        return true;
    }

    /** The function's current code, or its stub while it has none. */
    @Override
    public long functionAddress(int functionIndex) {
        long entry = NativeHeap.getLong(table + LazyTable.entry(functionIndex));
        return entry != 0 ? entry : stubAddress(functionIndex);
    }

    private long stubAddress(int functionIndex) {
        if (functionIndex < imports || functionIndex >= state.length) {
            throw new IllegalArgumentException("function " + functionIndex + " is not defined by the module");
        }
        return base.stubAddress(functionIndex);
    }

    @Override
    public long entryAdapterAddress(int typeIndex) {
        return base.entryAdapterAddress(typeIndex);
    }

    @Override
    public long hostAdapterAddress(int typeIndex) {
        return base.hostAdapterAddress(typeIndex);
    }

    @Override
    public NativeLifetime lifetime() {
        return lifetime;
    }

    @Override
    public void attach(long vmctx, VmContextLayout contextLayout) {
        NativeHeap.putLong(vmctx + layout.lazyTable(), table);
        if (mode == Compilation.TIERED) NativeHeap.putLong(vmctx + layout.tierUpStub(), LazyCalls.tierUpStub());
        synchronized (lock) {
            contexts.add(vmctx);
            for (int f = imports; f < state.length; f++) {
                NativeHeap.putLong(vmctx + layout.funcRef(f) + FuncRefLayout.CODE, functionAddress(f));
            }
        }
    }

    @Override
    public void detach(long vmctx) {
        synchronized (lock) {
            contexts.remove(vmctx);
        }
    }

    @Override
    public long compileOnCall(int function) {
        long entry = NativeHeap.getLong(table + LazyTable.entry(function));
        if (entry != 0) return entry;
        int[] batch;
        synchronized (lock) {
            checkOpen();
            batch = batchFrom(function);
        }
        publish(compiler.compile(batch, optimizingFirst), optimizingFirst || mode == Compilation.LAZY);
        entry = NativeHeap.getLong(table + LazyTable.entry(function));
        if (entry == 0) throw new IllegalStateException("function " + function + " was compiled but not published");
        return entry;
    }

    /**
     * {@code function} and the functions without code it reaches by direct calls, breadth first, while their bodies
     * fit in {@link #BATCH_BYTES}. Called with the lock held.
     */
    private int[] batchFrom(int function) {
        List<Integer> batch = new ArrayList<>();
        Set<Integer> seen = new java.util.HashSet<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(function);
        seen.add(function);
        int bytes = 0;
        while (!queue.isEmpty()) {
            int f = queue.poll();
            int size = module.codes().get(f - imports).codeUnsafe().length;
            if (!batch.isEmpty() && bytes + size > BATCH_BYTES) continue;
            batch.add(f);
            bytes += size;
            InstructionReader r = new InstructionReader(new ByteReader(module.codes().get(f - imports).codeUnsafe()));
            while (!r.atEnd()) {
                Opcode op = r.next();
                if (op == Opcode.CALL || op == Opcode.RETURN_CALL) {
                    int callee = r.index();
                    if (callee >= imports && state[callee] == NONE && seen.add(callee)) queue.add(callee);
                }
            }
        }
        return batch.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Maps {@code chunk} and points every function in it whose code it improves (none → baseline → final) at its
     * new code: the table first (what stubs read), then each attached instance's func ref.
     */
    private void publish(CompiledChunk chunk, boolean finalTier) {
        byte tier = finalTier ? FINAL : TIERING;
        synchronized (lock) {
            checkOpen();
            boolean improves = false;
            for (int f : chunk.functions()) improves |= state[f] < tier;
            if (!improves) return;
            LazyChunk mapped = new LazyChunk(this, chunk, arenaFor(chunk.code().length).place(chunk.code()));
            frames.add(mapped);
            for (int i = 0; i < chunk.functions().length; i++) {
                int f = chunk.functions()[i];
                if (state[f] >= tier) continue;
                state[f] = tier;
                long entry = mapped.address() + chunk.entries()[i];
                NativeHeap.putLong(table + LazyTable.entry(f), entry);
                for (long vmctx : contexts) {
                    NativeHeap.putLong(vmctx + layout.funcRef(f) + FuncRefLayout.CODE, entry);
                }
            }
            if (PerfMap.enabled()) PerfMap.append(mapped.perfMapLines());
        }
    }

    /** An arena the code fits in: the last one, or a new one. Called with the lock held. */
    private CodeArena arenaFor(int length) {
        CodeArena last = arenas.isEmpty() ? null : arenas.getLast();
        if (last != null && last.fits(length)) return last;
        CodeArena arena = CodeArena.reserve(Math.max(arenaBytes, 2L * length), frames);
        try {
            arenaRegistrations.add(FaultTables.registerCode(arena.address(), arena.address() + arena.size()));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        arenas.add(arena);
        return arena;
    }

    private void checkOpen() {
        if (freed) throw new IllegalStateException("the module's code was freed");
    }

    // ---------------------------------------------------------------- tier-up

    @Override
    public void tierUp(int function) {
        NativeHeap.putInt(table + LazyTable.budget(function), Integer.MAX_VALUE);   // not again for a long time
        synchronized (lock) {
            if (freed || tierUpRequested[function] || state[function] != TIERING) return;
            tierUpRequested[function] = true;
        }
        TierUpThread.submit(this, function);
    }

    /** On the tier-up thread: compiles {@code functions} with the optimizing tier and publishes them. */
    void compileOptimized(int[] functions) {
        synchronized (lock) {
            if (freed) return;
        }
        try {
            publish(compiler.compile(functions, true), true);
            synchronized (lock) {
                tierUps += functions.length;
            }
        } catch (IllegalStateException freedMeanwhile) {
            if (!isFreed()) record(freedMeanwhile);
        } catch (RuntimeException | Error e) {
            record(e);
        }
    }

    private void record(Throwable failure) {
        synchronized (lock) {
            if (tierUpFailure == null) tierUpFailure = failure;
        }
    }

    private boolean isFreed() {
        synchronized (lock) {
            return freed;
        }
    }

    @Override
    public void prepareCriticalEntry(int function) {
        synchronized (lock) {
            checkOpen();
            if (state[function] == FINAL) return;
        }
        publish(compiler.compile(new int[] {function}, mode == Compilation.TIERED || optimizingFirst), true);
    }

    /**
     * Waits until every tier-up request made so far (by any module) is compiled and published: for tests and
     * benchmarks that compare tiers. False when {@code timeout} passed first.
     */
    public static boolean awaitTierUps(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        return TierUpThread.awaitIdle(timeout, unit);
    }

    /** How many functions the optimizing tier has recompiled for tier-up so far. */
    public int tierUps() {
        synchronized (lock) {
            return tierUps;
        }
    }

    /** The first failure of a tier-up compilation, or null (the function then kept its baseline code). */
    public Throwable tierUpFailure() {
        synchronized (lock) {
            return tierUpFailure;
        }
    }

    /** How many defined functions have code so far. */
    public int compiledFunctions() {
        synchronized (lock) {
            int n = 0;
            for (int f = imports; f < state.length; f++) if (state[f] != NONE) n++;
            return n;
        }
    }

    /** Whether {@code function} has its final code (compiled by the last tier it will get). */
    public boolean isFinal(int function) {
        synchronized (lock) {
            return state[function] == FINAL;
        }
    }

    // ---------------------------------------------------------------- frames, names, lifetime

    String nameOf(int function) {
        return names.get(function);
    }

    int bodyOffset(int function) {
        return bodyOffsets[function - imports];
    }

    WasmModule module() {
        return module;
    }

    @Override
    public void close() {
        lifetime.close();
    }

    private void free() { // NativeLifetime runs it exactly once, when no instance is left
        synchronized (lock) {
            freed = true;
            contexts.clear();
            for (Registration r : arenaRegistrations) r.close();
            for (CodeArena arena : arenas) arena.close();
            arenaRegistrations.clear();
            arenas.clear();
        }
        base.close();
        NativeHeap.free(table);
    }
}
