package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.CodeSites;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.FrameLayout;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.compiler.machine.TierUpBudget;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The state shared by the lowerings of one function: the assembler, the frame, the homes of locals, the
 * <em>value stack</em> (the wasm operand stack as the compiler sees it: each entry a constant, a lazy local read, a
 * register, its spill slot, or a pending condition in the flags) and the register pool.
 *
 * <p>Invariants: every i32 in a register is zero-extended (produced by 32-bit operations); entries below the
 * height of any open block are only {@link #SLOT} or {@link #CONST} (blocks flush on entry), so every path into
 * a label sees the same stack; a {@link #FLAGS} entry is only ever the top one and is materialized before any
 * instruction that is not its consumer. r11 and xmm15 are scratch and never allocated. A v128 entry is never a
 * {@link #CONST} (its 16 bytes do not fit the entry); its slot is 16 bytes ({@link FrameLayout#slotBytes()}).
 */
class Codegen {
    static final byte CONST = 0;
    static final byte LOCAL = 1;
    static final byte REG = 2;
    static final byte SLOT = 3;
    static final byte FLAGS = 4;

    /** Allocation order of integer registers (all caller-saved; r11 is scratch). */
    private static final Gpr[] ALL_TEMPORARIES = {Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9, Gpr.R10};
    private static final int XMM_POOL_SIZE = 15;
    /** Allocation order of temporaries: caller-saved registers that hold no local. */
    private Gpr[] gprPool = ALL_TEMPORARIES;

    /** The conditions by code (Cond.values() copies its array on every call). */
    static final Cond[] COND = Cond.values();

    final Assembler a;
    final WasmModule module;
    final VmContextLayout vm;
    final CompilerOptions options;
    final CpuFeatures cpu;
    /** vmctx offsets, looked up once (the layout's path API is slow). */
    final int memoryBaseOffset;
    final int memorySizeOffset;
    /** Per memory: true for memory64 (i64 addresses, explicit bounds checks whatever the options say). */
    final boolean[] memory64;
    /** Per table: true for table64 (i64 indices and sizes). */
    final boolean[] table64;
    final int raiseStubOffset;
    FrameLayout frame;
    /** Per local: its register home, or null when it lives in {@link #localSlot}. */
    Gpr[] localReg;
    /** Per local: its xmm home (leaf functions), or null. */
    Xmm[] localXmm;
    int[] localSlot;
    ValType[] localTypes;
    /** r14 holds memory 0's base when the function touches memory, else null. */
    Gpr memoryBase;

    private byte[] kinds = new byte[16];
    private long[] values = new long[16];
    private ValType[] types = new ValType[16];
    int size;
    /**
     * Scan hints, so that deep stacks do not make every spill or flush quadratic: no entry below
     * {@code noRegisterBelow} is a register or flags entry; every entry below {@code flushedBelow} is a slot or a
     * constant. Pops lower them; scans raise them.
     */
    private int noRegisterBelow;
    private int flushedBelow;
    /** One past the highest operand slot the code touches (the frame holds only those). */
    int slotHighWater;
    /** The local whose register the last in-place ALU operation wrote: the flags describe its value (or -1). */
    int flagsLocal = -1;
    int maxOutgoing;

    private int freeGprs;
    private int freeXmms;
    private final Label[] trapLabels = new Label[TrapCode.values().length];

    Codegen(Assembler a, WasmModule module, VmContextLayout vm, CompilerOptions options, CpuFeatures cpu) {
        this.a = a;
        this.module = module;
        this.vm = vm;
        this.options = options;
        this.cpu = cpu;
        this.memoryBaseOffset = (int) vm.memoryBase();
        this.memorySizeOffset = (int) vm.memorySize();
        this.memory64 = new boolean[module.memoryCount()];
        for (int k = 0; k < memory64.length; k++) memory64[k] = module.memoryType(k).address64();
        this.table64 = new boolean[module.tableCount()];
        for (int k = 0; k < table64.length; k++) table64[k] = module.tableType(k).address64();
        this.raiseStubOffset = (int) vm.raiseStub();
        for (Gpr g : gprPool) freeGprs |= 1 << g.encoding();
        freeXmms = (1 << XMM_POOL_SIZE) - 1;
    }

    /** Removes the registers of locals from the temporaries (before any code is emitted). */
    void reserveHomes(int gprMask, int xmmMask) {
        List<Gpr> pool = new ArrayList<>();
        for (Gpr g : ALL_TEMPORARIES) if ((gprMask & (1 << g.encoding())) == 0) pool.add(g);
        gprPool = pool.toArray(Gpr[]::new);
        freeGprs &= ~gprMask;
        freeXmms &= ~xmmMask;
        reservedXmms = xmmMask;
    }

    /** The temporaries in allocation order (block results use them in this order too). */
    Gpr[] gprPool() {
        return gprPool;
    }

    /** The xmm registers available for temporaries, in order. */
    List<Xmm> xmmPool() {
        List<Xmm> xs = new ArrayList<>();
        for (int i = 0; i < XMM_POOL_SIZE; i++) if ((freeXmmsInitial() & (1 << i)) != 0) xs.add(Xmm.of(i));
        return xs;
    }

    private int reservedXmms;

    private int freeXmmsInitial() {
        return ((1 << XMM_POOL_SIZE) - 1) & ~reservedXmms;
    }

    static OperandSize sizeOf(ValType t) {
        return t == ValType.I32 || t == ValType.F32 ? DWORD : QWORD;
    }

    /** Whether {@code t} lives in xmm registers: f32, f64 and v128 (v128 moves are 16 bytes, see {@link #loadXmm}). */
    static boolean isFloat(ValType t) {
        return t == ValType.F32 || t == ValType.F64 || t == ValType.V128;
    }

    // ---------------------------------------------------------------- value stack

    void push(byte kind, long value, ValType type) {
        if (size == kinds.length) {
            kinds = Arrays.copyOf(kinds, size * 2);
            values = Arrays.copyOf(values, size * 2);
            types = Arrays.copyOf(types, size * 2);
        }
        kinds[size] = kind;
        values[size] = value;
        types[size] = type;
        size++;
    }

    void pushConst(ValType type, long bits) {
        push(CONST, bits, type);
    }

    void pushReg(ValType type, Gpr reg) {
        push(REG, reg.encoding(), type);
    }

    void pushReg(ValType type, Xmm reg) {
        push(REG, reg.encoding(), type);
    }

    void pushFlags(Cond cond) {
        push(FLAGS, cond.code(), ValType.I32);
    }

    /** Pushes a value that already is in its slot (position = current size). */
    void pushSlot(ValType type) {
        push(SLOT, 0, type);
    }

    Val pop() {
        size--;
        if (noRegisterBelow > size) noRegisterBelow = size;
        if (flushedBelow > size) flushedBelow = size;
        return new Val(kinds[size], values[size], types[size], size);
    }

    Val peek(int fromTop) {
        int i = size - 1 - fromTop;
        return new Val(kinds[i], values[i], types[i], i);
    }

    byte kindAt(int i) {
        return kinds[i];
    }

    ValType typeAt(int i) {
        return types[i];
    }

    /** Drops entries down to {@code height}, releasing their registers. */
    void truncate(int height) {
        while (size > height) free(pop());
    }

    /** The operand stack's entries below {@code height}, all slots or constants (at a block's entry). */
    record Snapshot(byte[] kinds, long[] values, ValType[] types) {
    }

    /** The entries below {@code height}: each must be a slot or a constant (what a block's entry leaves). */
    Snapshot snapshot(int height) {
        for (int i = 0; i < height; i++) {
            if (kinds[i] != SLOT && kinds[i] != CONST) throw new IllegalStateException("entry " + i + " is live");
        }
        return new Snapshot(Arrays.copyOf(kinds, height), Arrays.copyOf(values, height), Arrays.copyOf(types, height));
    }

    /** Makes the operand stack {@code s} again (a landing pad: the state at its try's entry). */
    void restore(Snapshot s) {
        truncate(0);
        for (int i = 0; i < s.kinds().length; i++) push(s.kinds()[i], s.values()[i], s.types()[i]);
    }

    /** Replaces the stack above {@code height} by {@code types} values in their slots (state at a label). */
    void resetTo(int height, ValType[] slotTypes) {
        truncate(height);
        for (ValType t : slotTypes) pushSlot(t);
    }

    /** The frame slot of operand-stack position {@code p}. */
    Mem slot(int p) {
        if (p + 1 > slotHighWater) slotHighWater = p + 1;
        return frame.operandSlot(p);
    }

    // ---------------------------------------------------------------- registers

    void free(Val v) {
        if (v.kind() == REG) {
            if (isFloat(v.type())) freeXmms |= 1 << v.value();
            else freeGprs |= 1 << v.value();
        }
    }

    void release(Gpr r) {
        freeGprs |= 1 << r.encoding();
    }

    void release(Xmm r) {
        freeXmms |= 1 << r.encoding();
    }

    Gpr allocGpr() {
        return allocGprExcept(0);
    }

    /** A register the current instruction's result would best be in (a hint for the next allocation), or null. */
    Gpr preferred;

    /** A free integer register not in {@code excluded} (a mask of encodings), spilling the oldest if needed. */
    Gpr allocGprExcept(int excluded) {
        if (preferred != null) {
            int bit = 1 << preferred.encoding();
            Gpr hint = preferred;
            preferred = null; // only the first allocation: later ones are not the result
            if ((freeGprs & bit) != 0 && (excluded & bit) == 0) {
                freeGprs &= ~bit;
                return hint;
            }
        }
        while (true) {
            for (Gpr g : gprPool) {
                int bit = 1 << g.encoding();
                if ((freeGprs & bit) != 0 && (excluded & bit) == 0) {
                    freeGprs &= ~bit;
                    return g;
                }
            }
            if (!spillOldest(false, excluded)) throw new IllegalStateException("out of integer registers");
        }
    }

    Xmm allocXmm() {
        while (true) {
            if (freeXmms != 0) {
                int i = Integer.numberOfTrailingZeros(freeXmms);
                freeXmms &= ~(1 << i);
                return Xmm.of(i);
            }
            if (!spillOldest(true, 0)) throw new IllegalStateException("out of xmm registers");
        }
    }

    private int firstRegisterEntry() {
        while (noRegisterBelow < size && kinds[noRegisterBelow] != REG && kinds[noRegisterBelow] != FLAGS) {
            noRegisterBelow++;
        }
        return noRegisterBelow;
    }

    private int firstUnflushedEntry() {
        while (flushedBelow < size && (kinds[flushedBelow] == SLOT || kinds[flushedBelow] == CONST)) flushedBelow++;
        return flushedBelow;
    }

    private boolean spillOldest(boolean floats, int excluded) {
        for (int i = firstRegisterEntry(); i < size; i++) {
            if (kinds[i] == REG && isFloat(types[i]) == floats && (excluded & (1 << values[i])) == 0) {
                flushEntry(i);
                return true;
            }
        }
        return false;
    }

    /** Makes {@code r} free of stack entries (flushing the one holding it) and takes it. */
    void take(Gpr r) {
        evict(r);
        if ((freeGprs & (1 << r.encoding())) == 0) throw new IllegalStateException(r + " is held by an operand");
        freeGprs &= ~(1 << r.encoding());
    }

    /** Flushes the stack entry that holds {@code r}, if any. */
    void evict(Gpr r) {
        for (int i = firstRegisterEntry(); i < size; i++) {
            if (kinds[i] == REG && !isFloat(types[i]) && values[i] == r.encoding()) flushEntry(i);
        }
    }

    /** Takes {@code r}, which must be free (after a call every caller-saved register is). */
    void take(Xmm r) {
        if ((freeXmms & (1 << r.encoding())) == 0) throw new IllegalStateException(r + " is in use");
        freeXmms &= ~(1 << r.encoding());
    }

    // ---------------------------------------------------------------- tier-up budget (Compilation.TIERED)

    /** The function whose budget this code takes ({@link TierUpBudget}), or -1 when it counts nothing. */
    int tierUpFunction = -1;
    /** Pairs (slow path, resume) of the counts emitted so far, their slow paths out of line at the end. */
    final java.util.List<Label[]> tierUpSlowPaths = new java.util.ArrayList<>();

    /** At the entry and at loop headers: takes a unit of the tier-up budget when the code counts (clobbers flags). */
    void countTierUp() {
        if (tierUpFunction < 0) return;
        Label slow = a.newLabel();
        Label resume = a.newLabel();
        TierUpBudget.emitCount(a, vm, tierUpFunction, slow);
        a.bind(resume);
        tierUpSlowPaths.add(new Label[] {slow, resume});
        flagsLocal = -1;
    }

    // ---------------------------------------------------------------- relocations (calls between functions)

    private final CodeSites relocations = new CodeSites();
    /** Pairs (offset of a type id's imm32, type index): what a code file patches when loaded in another process. */
    final CodeSites typeIdSites = new CodeSites();

    /**
     * Emits {@code call rel32} (0xE8) or {@code jmp rel32} (0xE9) to defined function {@code index}; compiled lazily
     * ({@link dev.isthmus.options.Compilation#lazy()}), {@code call/jmp [r15 + funcRef(index).code]} instead.
     */
    void emitDirect(boolean jump, int index) {
        if (options.compilation().lazy()) {
            Mem code = Mem.of(Gpr.R15, (int) (vm.funcRef(index) + FuncRefLayout.CODE));
            if (jump) a.jmp(code);
            else a.call(code);
            return;
        }
        a.emitBytes((byte) (jump ? 0xE9 : 0xE8), (byte) 0, (byte) 0, (byte) 0, (byte) 0);
        relocations.add(a.position() - 4, index);
    }

    /** Pairs (offset of a rel32 field in this function's body, target function index). */
    int[] relocations() {
        return relocations.toArray();
    }

    boolean isFree(Gpr r) {
        return (freeGprs & (1 << r.encoding())) != 0;
    }

    // ---------------------------------------------------------------- flushing

    /** Moves entry {@code i} into its slot (mov instructions only: flags survive). */
    void flushEntry(int i) {
        Val v = new Val(kinds[i], values[i], types[i], i);
        Mem slot = slot(i);
        switch (v.kind()) {
            case SLOT -> { return; }
            case REG -> {
                if (isFloat(v.type())) storeXmm(slot, Xmm.of((int) v.value()), v.type());
                else a.mov(QWORD, slot, Gpr.of((int) v.value()));
                free(v);
            }
            case CONST -> storeConst(slot, v.value());
            case LOCAL -> {
                if (isFloat(v.type())) {
                    emitLoadXmm(Xmm.XMM15, v);
                    storeXmm(slot, Xmm.XMM15, v.type());
                } else {
                    emitLoad(Gpr.R11, v);
                    a.mov(QWORD, slot, Gpr.R11);
                }
            }
            case FLAGS -> {
                a.set(Codegen.COND[(int) v.value()], Gpr.R11);
                a.movzx(DWORD, Gpr.R11, OperandSize.BYTE, Gpr.R11);
                a.mov(QWORD, slot, Gpr.R11);
            }
            default -> throw new IllegalStateException();
        }
        kinds[i] = SLOT;
    }

    void storeConst(Mem slot, long bits) {
        if (bits == (int) bits) {
            a.mov(QWORD, slot, bits);
        } else {
            a.movabs(Gpr.R11, bits);
            a.mov(QWORD, slot, Gpr.R11);
        }
    }

    /** Before a call: every register entry to its slot (caller-saved registers die). */
    void spillRegisters() {
        for (int i = firstRegisterEntry(); i < size; i++) if (kinds[i] == REG || kinds[i] == FLAGS) flushEntry(i);
    }

    /** At a block boundary: everything but constants to its slot. */
    void flushAll() {
        for (int i = firstUnflushedEntry(); i < size; i++) if (kinds[i] != CONST) flushEntry(i);
    }

    /** Before a local.set: pending reads of local {@code index} take the old value now. */
    void flushLocalReads(int index) {
        for (int i = firstUnflushedEntry(); i < size; i++) if (kinds[i] == LOCAL && values[i] == index) flushEntry(i);
    }

    /** Turns a pending condition on top into a 0/1 register value. */
    void materializeFlags() {
        if (size > 0 && kinds[size - 1] == FLAGS) {
            Val v = pop();
            Gpr r = allocGpr();
            a.set(Codegen.COND[(int) v.value()], r);
            a.movzx(DWORD, r, OperandSize.BYTE, r);
            pushReg(ValType.I32, r);
        }
    }

    // ---------------------------------------------------------------- operand access

    Mem localMem(int index) {
        return frame.localSlot(localSlot[index]);
    }

    /** Loads integer-class {@code v} into {@code dst} (mov only). */
    void emitLoad(Gpr dst, Val v) {
        OperandSize sz = sizeOf(v.type());
        switch (v.kind()) {
            case CONST -> loadConst(dst, v.type(), v.value());
            case REG -> {
                if (v.value() != dst.encoding()) a.mov(sz, dst, Gpr.of((int) v.value()));
            }
            case SLOT -> a.mov(sz, dst, slot(v.position()));
            case LOCAL -> {
                int i = (int) v.value();
                if (localReg[i] != null) {
                    if (localReg[i] != dst) a.mov(sz, dst, localReg[i]);
                } else {
                    a.mov(sz, dst, localMem(i));
                }
            }
            case FLAGS -> {
                a.set(Codegen.COND[(int) v.value()], dst);
                a.movzx(DWORD, dst, OperandSize.BYTE, dst);
            }
            default -> throw new IllegalStateException();
        }
    }

    void loadConst(Gpr dst, ValType type, long bits) {
        if (sizeOf(type) == DWORD) a.mov(DWORD, dst, (int) bits);
        else if (bits == (int) bits) a.mov(QWORD, dst, bits);
        else if (bits >= 0 && bits <= 0xFFFF_FFFFL) a.mov(DWORD, dst, bits);
        else a.movabs(dst, bits);
    }

    void emitLoadXmm(Xmm dst, Val v) {
        switch (v.kind()) {
            case CONST -> {
                if (v.value() == 0) {
                    a.sse(SseOp.XORPS, dst, dst);
                } else {
                    loadConst(Gpr.R11, v.type() == ValType.F32 ? ValType.I32 : ValType.I64, v.value());
                    a.movGprToXmm(v.type() == ValType.F32 ? DWORD : QWORD, dst, Gpr.R11);
                }
            }
            case REG -> {
                if (v.value() != dst.encoding()) a.sse(SseOp.MOVAPS, dst, Xmm.of((int) v.value()));
            }
            case SLOT -> loadXmm(dst, slot(v.position()), v.type());
            case LOCAL -> {
                Xmm home = localXmm[(int) v.value()];
                if (home == null) loadXmm(dst, localMem((int) v.value()), v.type());
                else if (home != dst) a.sse(SseOp.MOVAPS, dst, home);
            }
            default -> throw new IllegalStateException();
        }
    }

    void loadXmm(Xmm dst, Mem m, ValType t) {
        if (t == ValType.F32) a.movss(dst, m);
        else if (t == ValType.V128) simd().load(dst, m);
        else a.movsd(dst, m);
    }

    void storeXmm(Mem m, Xmm src, ValType t) {
        if (t == ValType.F32) a.movss(m, src);
        else if (t == ValType.V128) simd().store(m, src);
        else a.movsd(m, src);
    }

    /**
     * Stores {@code src} to an 8-byte ABI stack slot (outgoing or incoming argument/result area): f32 and f64 with
     * {@code movsd}, v128 into two consecutive slots.
     */
    void storeStackSlot(Mem m, Xmm src, ValType t) {
        if (t == ValType.V128) simd().store(m, src);
        else a.movsd(m, src);
    }

    private dev.isthmus.compiler.machine.simd.SimdLowering simd;

    /** The SIMD lowering of this function (v128 moves, loads and stores; the SIMD instructions). */
    dev.isthmus.compiler.machine.simd.SimdLowering simd() {
        if (simd == null) simd = new dev.isthmus.compiler.machine.simd.SimdLowering(a, cpu);
        return simd;
    }

    /** A register holding {@code v} that may be read but not written (a local's home counts). */
    Gpr readGpr(Val v) {
        if (v.kind() == REG) return Gpr.of((int) v.value());
        if (v.kind() == LOCAL && localReg[(int) v.value()] != null) return localReg[(int) v.value()];
        Gpr r = allocGpr();
        emitLoad(r, v);
        return r;
    }

    /** A register holding {@code v} that the caller owns and may overwrite. */
    Gpr ownGpr(Val v) {
        if (v.kind() == REG) return Gpr.of((int) v.value());
        Gpr r = allocGpr();
        emitLoad(r, v);
        return r;
    }

    /** Releases a register obtained from {@link #readGpr} for {@code v} if it was allocated for it. */
    void doneReading(Val v, Gpr r) {
        boolean home = v.kind() == LOCAL && localReg[(int) v.value()] == r;
        if (!home) release(r);
    }

    Xmm readXmm(Val v) {
        if (v.kind() == REG) return Xmm.of((int) v.value());
        Xmm r = allocXmm();
        emitLoadXmm(r, v);
        return r;
    }

    Xmm ownXmm(Val v) {
        return readXmm(v);
    }

    /** The memory operand of {@code v} when it is in memory (slot or slot-homed local), else null. */
    Mem memOf(Val v) {
        if (v.kind() == SLOT) return slot(v.position());
        if (v.kind() == LOCAL && localReg[(int) v.value()] == null && localXmm[(int) v.value()] == null) {
            return localMem((int) v.value());
        }
        return null;
    }

    /** {@code op dst, v} choosing an immediate, register or memory form. */
    void alu(AluOp op, OperandSize sz, Gpr dst, Val v) {
        if (v.kind() == CONST && (sz == DWORD || v.value() == (int) v.value())) {
            a.alu(op, sz, dst, sz == DWORD ? (long) (int) v.value() : v.value());
        } else if (v.kind() == CONST) {
            a.movabs(Gpr.R11, v.value());
            a.alu(op, sz, dst, Gpr.R11);
        } else if (memOf(v) != null) {
            a.alu(op, sz, dst, memOf(v));
        } else {
            Gpr r = readGpr(v);
            a.alu(op, sz, dst, r);
            doneReading(v, r);
        }
    }

    /** {@code op dst, v} for a scalar SSE operation. */
    void sse(SseOp op, Xmm dst, Val v) {
        Mem m = memOf(v);
        if (m != null) {
            a.sse(op, dst, m);
        } else if (v.kind() == REG) {
            a.sse(op, dst, Xmm.of((int) v.value()));
        } else if (v.kind() == LOCAL && localXmm[(int) v.value()] != null) {
            a.sse(op, dst, localXmm[(int) v.value()]);
        } else {
            emitLoadXmm(Xmm.XMM15, v);
            a.sse(op, dst, Xmm.XMM15);
        }
    }

    // ---------------------------------------------------------------- traps

    /** The out-of-line trap site of {@code kind} in this function. */
    Label trap(TrapCode kind) {
        Label l = trapLabels[kind.ordinal()];
        if (l == null) trapLabels[kind.ordinal()] = l = a.newLabel();
        return l;
    }

    /** Emits {@code mov edi, code; call [r15 + raiseStub]} for every trap site used. */
    void emitTrapSites() {
        for (TrapCode k : TrapCode.values()) {
            Label l = trapLabels[k.ordinal()];
            if (l == null) continue;
            a.bind(l);
            frame.emitRaise(a, k, raiseStubOffset);
        }
        frame.emitOverflowPath(a, raiseStubOffset);
    }

    void noteOutgoing(int slots) {
        if (slots > maxOutgoing) maxOutgoing = slots;
    }
}
