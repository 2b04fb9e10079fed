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
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.code.CodeArena;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.instance.LazyCalls;
import dev.isthmus.runtime.instance.ModuleCode;
import dev.isthmus.runtime.instance.NativeLifetime;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.HandlerSource;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final int STUB_BYTES = 16;

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
    private final CodeMemory base;
    private final Registration baseRegistration;
    private final int[] entryAdapters;
    private final int[] hostAdapters;
    private final int stubsOffset;
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
        this.entryAdapters = entryAdapters.clone();
        this.hostAdapters = hostAdapters.clone();
        this.bodyOffsets = module.codes().stream().mapToInt(body -> body.codeOffset()).toArray();
        int functions = module.functionCount();
        this.state = new byte[functions];
        this.tierUpRequested = new boolean[functions];
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC) names.putIfAbsent(e.index(), e.name());
        }
        names.putAll(module.names().functionNames());
        long codeBytes = 0;
        for (var body : module.codes()) codeBytes += body.codeUnsafe().length;
        // baseline code is ~4x its wasm, the optimizing tier's less, a chunk's last page partly empty: addresses only
        this.arenaBytes = Math.min(Math.max(8 * codeBytes, 16L << 20), 1L << 30);
        this.table = NativeHeap.allocate(LazyTable.bytes(functions));
        CodeMemory mapped = null;
        try {
            for (int f = imports; f < functions; f++) {
                NativeHeap.putInt(table + LazyTable.budget(f), tierUpBudget);
            }
            Assembler a = new Assembler();
            a.emitBytes(adapterCode);
            a.align(16);
            int handler = a.position();
            FrameUnwind handlerUnwind = emitHandler(a, table);
            a.align(STUB_BYTES);
            this.stubsOffset = a.position();
            byte[] head = a.finish();
            byte[] bytes = Arrays.copyOf(head, stubsOffset + STUB_BYTES * (functions - imports));
            for (int f = imports; f < functions; f++) writeStub(bytes, stubsOffset + STUB_BYTES * (f - imports), f, handler);
            BaseFrames frames = new BaseFrames(entryAdapters, hostAdapters, adapterUnwind, handler, handlerUnwind,
                    stubsOffset);
            mapped = CodeMemory.allocate(Math.max(bytes.length, 1), frames);
            mapped.write(0, bytes);
            mapped.seal();
            frames.start = mapped.address();
            this.base = mapped;
            this.baseRegistration = FaultTables.registerCode(mapped);
        } catch (RuntimeException | Error e) {
            if (mapped != null) mapped.close();
            NativeHeap.free(table);
            throw e;
        }
    }

    // ---------------------------------------------------------------- the lazy handler

    /**
     * Function {@code f}'s stub at {@code at}, 16 bytes: {@code mov r11d, f} (41 BB imm32), {@code jmp handler}
     * (E9 rel32), int3 padding; written as bytes, as a module may have a hundred thousand of them (the form is
     * checked against the assembler's by {@code LazyCompilationTest}).
     */
    static void writeStub(byte[] code, int at, int f, int handler) {
        code[at] = 0x41;
        code[at + 1] = (byte) 0xBB;
        putInt(code, at + 2, f);
        code[at + 6] = (byte) 0xE9;
        putInt(code, at + 7, handler - (at + 11));
        Arrays.fill(code, at + 11, at + STUB_BYTES, (byte) 0xCC);
    }

    private static void putInt(byte[] code, int at, int value) {
        code[at] = (byte) value;
        code[at + 1] = (byte) (value >> 8);
        code[at + 2] = (byte) (value >> 16);
        code[at + 3] = (byte) (value >> 24);
    }

    /** The stub as the assembler writes it (tests compare). */
    static byte[] assembledStub(int f, int handlerDistance) {
        Assembler a = new Assembler();
        a.mov(OperandSize.DWORD, Gpr.R11, f);
        a.emitBytes((byte) 0xE9);
        byte[] head = a.finish();
        byte[] stub = Arrays.copyOf(head, STUB_BYTES);
        putInt(stub, head.length, handlerDistance - (head.length + 4));
        Arrays.fill(stub, head.length + 4, STUB_BYTES, (byte) 0xCC);
        return stub;
    }

    /** Argument registers the handler keeps across the compile upcall: 6 general-purpose, then xmm0-7 (16 bytes). */
    private static final Gpr[] ARGUMENTS = {Gpr.RDI, Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9};
    private static final int XMM_AREA = 48;
    private static final int FRAME = XMM_AREA + 8 * 16;

    /**
     * The handler every stub jumps to, r11d = the function, r15 = its instance's context, [rsp] = the caller's
     * return address (or, after a tail call, its caller's), stack arguments above it:
     * <pre>
     *       movabs rax, table; lea r10, [r11 + r11]; mov rax, [rax + 8 r10]
     *       test rax, rax; jz compile
     *       jmp rax                                ; compiled (a stale func ref, or another thread was first)
     *   compile:
     *       test esp, WINDOW_MASK; jz exhausted     ; a host exit: not below the stack's limit
     *       sub rsp, FRAME; save rdi..r9, xmm0-7
     *       mov rdi, r15; mov esi, r11d; movabs r8, compile upcall; movabs rax, hostCall; call rax
     *       cmp rax, 4096; jb failed                ; a trap code
     *       restore; add rsp, FRAME; jmp rax
     *   failed:    add rsp, FRAME; mov edi, eax; jmp raise       ; attributed to the call site
     *   exhausted: mov edi, CALL_STACK_EXHAUSTED; jmp raise
     * </pre>
     */
    private static FrameUnwind emitHandler(Assembler a, long table) {
        int start = a.position();
        FrameUnwind.Builder unwind = new FrameUnwind.Builder();
        long atEntry = FrameUnwind.step(false, 8, false);
        long inFrame = FrameUnwind.step(false, 8 + FRAME, false);
        unwind.at(0, atEntry);
        Label compile = a.newLabel();
        Label failed = a.newLabel();
        Label exhausted = a.newLabel();
        a.movabs(Gpr.RAX, table);
        a.lea(OperandSize.QWORD, Gpr.R10, Mem.of(Gpr.R11, Gpr.R11, 1, 0));     // 2 f: rows are 16 bytes
        a.mov(OperandSize.QWORD, Gpr.RAX, Mem.of(Gpr.RAX, Gpr.R10, 8, LazyTable.ENTRY));
        a.test(OperandSize.QWORD, Gpr.RAX, Gpr.RAX);
        a.jcc(Cond.E, compile);
        a.jmp(Gpr.RAX);
        a.bind(compile);
        a.test(OperandSize.DWORD, Gpr.RSP, StackGeometry.WINDOW_MASK);
        a.jcc(Cond.E, exhausted);
        a.sub(OperandSize.QWORD, Gpr.RSP, FRAME);
        unwind.at(a.position() - start, inFrame);
        for (int i = 0; i < ARGUMENTS.length; i++) a.mov(OperandSize.QWORD, Mem.of(Gpr.RSP, 8 * i), ARGUMENTS[i]);
        for (int i = 0; i < 8; i++) a.simd(SimdOp.MOVDQU_ST, Mem.of(Gpr.RSP, XMM_AREA + 16 * i), Xmm.of(i));
        a.mov(OperandSize.QWORD, Gpr.RDI, Gpr.R15);
        a.mov(OperandSize.DWORD, Gpr.RSI, Gpr.R11);
        a.mov(OperandSize.DWORD, Gpr.RDX, 0);
        a.mov(OperandSize.DWORD, Gpr.RCX, 0);
        a.movabs(Gpr.R8, LazyCalls.compileUpcall());
        a.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
        a.call(Gpr.RAX);
        a.cmp(OperandSize.QWORD, Gpr.RAX, 4096);
        a.jcc(Cond.B, failed);
        for (int i = 0; i < 8; i++) a.simd(SimdOp.MOVDQU, Xmm.of(i), Mem.of(Gpr.RSP, XMM_AREA + 16 * i));
        for (int i = 0; i < ARGUMENTS.length; i++) a.mov(OperandSize.QWORD, ARGUMENTS[i], Mem.of(Gpr.RSP, 8 * i));
        a.add(OperandSize.QWORD, Gpr.RSP, FRAME);
        unwind.at(a.position() - start, atEntry);
        a.jmp(Gpr.RAX);
        a.bind(failed);
        unwind.at(a.position() - start, inFrame);
        a.add(OperandSize.QWORD, Gpr.RSP, FRAME);
        unwind.at(a.position() - start, atEntry);
        a.mov(OperandSize.DWORD, Gpr.RDI, Gpr.RAX);
        a.movabs(Gpr.RAX, RuntimeStubs.get().raiseAddress());
        a.jmp(Gpr.RAX);
        a.bind(exhausted);
        a.mov(OperandSize.DWORD, Gpr.RDI, TrapCode.CALL_STACK_EXHAUSTED.code());
        a.movabs(Gpr.RAX, RuntimeStubs.get().raiseAddress());
        a.jmp(Gpr.RAX);
        return unwind.build();
    }

    /** The owner of the base code: how to unwind from adapters, the handler and stubs (none are wasm frames). */
    private static final class BaseFrames implements FrameUnwindSource {
        private final int[] adapterStarts;
        private final FrameUnwind adapterUnwind;
        private final int handler;
        private final FrameUnwind handlerUnwind;
        private final int stubs;
        private volatile long start;

        BaseFrames(int[] entry, int[] host, FrameUnwind adapterUnwind, int handler, FrameUnwind handlerUnwind,
                   int stubs) {
            int[] starts = new int[entry.length + host.length];
            System.arraycopy(entry, 0, starts, 0, entry.length);
            System.arraycopy(host, 0, starts, entry.length, host.length);
            Arrays.sort(starts);
            this.adapterStarts = starts;
            this.adapterUnwind = adapterUnwind;
            this.handler = handler;
            this.handlerUnwind = handlerUnwind;
            this.stubs = stubs;
        }

        @Override
        public long unwindStepAt(long pc) {
            long offset = pc - start;
            if (start == 0 || offset < 0) return NO_STEP;
            if (offset >= stubs) return FrameUnwind.step(false, 8, false);      // a stub: only jumps
            if (offset >= handler) return handlerUnwind.stepAt((int) (offset - handler));
            int i = Arrays.binarySearch(adapterStarts, (int) offset);
            if (i < 0) i = -i - 2;
            return i < 0 ? NO_STEP : adapterUnwind.stepAt((int) offset - adapterStarts[i]);
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
        return base.address() + stubsOffset + (long) STUB_BYTES * (functionIndex - imports);
    }

    @Override
    public long entryAdapterAddress(int typeIndex) {
        return base.address() + entryAdapters[typeIndex];
    }

    @Override
    public long hostAdapterAddress(int typeIndex) {
        return base.address() + hostAdapters[typeIndex];
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

    /**
     * The owner of this module's arenas in the code registry: finds the chunk of a PC (chunks sorted by address,
     * an immutable snapshot replaced on each publication, so that lookups take no lock).
     */
    private static final class ChunkFrames implements WasmFrameSource, FrameUnwindSource, HandlerSource {
        private volatile long[] starts = new long[0];
        private volatile LazyChunk[] chunks = new LazyChunk[0];

        /** Called with the owner's lock held. */
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
        baseRegistration.close();
        base.close();
        NativeHeap.free(table);
    }
}
