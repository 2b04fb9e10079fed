package dev.isthmus.runtime.instance;

import dev.isthmus.os.NativeHeap;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.host.HostBridge;
import dev.isthmus.runtime.host.PendingThrowable;
import dev.isthmus.runtime.memory.GrowLimits;
import dev.isthmus.runtime.memory.LinearMemory;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;

/**
 * The runtime functions of {@link Builtin}, implemented in Java and reached from compiled code through one small
 * stub each. A stub spills its arguments to the wasm stack and goes through the host-call switch so the Java code
 * runs on the Java stack:
 *
 * <pre>
 *   builtin_k(rdi = vmctx, rsi, rdx, rcx, r8, r9):
 *       test esp, WINDOW_MASK             ; a host exit: refuse to start below the wasm stack's limit
 *       jz   exhausted
 *       sub  rsp, 56                      ; rsp ≡ 0 mod 16 afterwards
 *       mov  [rsp], rsi ... [rsp+32], r9  ; the builtin's operands, in order
 *       mov  rsi, rsp
 *       mov  edx, k
 *       movabs r8, &lt;upcall stub of run&gt;
 *       movabs rax, &lt;hostCall&gt;
 *       call rax                          ; run(vmctx, operands, k) on the Java stack → rax
 *       add  rsp, 56
 *       cmp  rax, -2                      ; memory.grow / table.grow only: the embedder's limiter threw
 *       je   threw
 *       ret
 *   exhausted:                            ; nothing pushed yet: [rsp] is the wasm caller's return address
 *       mov  edi, CALL_STACK_EXHAUSTED
 *       movabs rax, &lt;raise&gt;
 *       jmp  rax                          ; the trap is attributed to the wasm call site
 *   threw:                                ; grows only: the trap carries the limiter's exception (parked)
 *       mov  edi, UNREACHABLE; movabs rax, &lt;raise&gt;; jmp rax
 * </pre>
 *
 * The stubs' code is registered with an unwind table ({@link StubFrames}), so a backtrace walk that starts in the
 * host-call switch called from a stub (its own check can fire 64 bytes lower than the stub's) steps through the
 * stub to the wasm caller.
 *
 * Statuses are 0 or a {@link TrapCode#code()}; {@code memory.grow}/{@code table.grow} return the old size or -1.
 * The bounds rules are the spec's: a range {@code [d, d + n)} must lie within the memory/table/segment, checked
 * before anything is written (so {@code n = 0} at the very end is fine and one past it traps).
 */
public final class Builtins {
    private Builtins() {
    }

    private static final int OPERAND_BYTES = 56;
    /**
     * What {@code memory.grow}/{@code table.grow} return when the embedder's limiter threw (never a size, nor -1):
     * their stubs then raise the trap that carries the parked throwable, at the wasm call site. Compiled code never
     * sees it, so it checks no status after a grow.
     */
    private static final long GROW_THREW = -2;
    private static final long[] ADDRESSES = new long[Builtin.values().length];

    static {
        try {
            long upcall = StubCode.upcall(MethodHandles.lookup(), Builtins.class, "run");
            Assembler asm = new Assembler();
            int[] offsets = new int[ADDRESSES.length];
            Gpr[] operands = {Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9};
            FrameUnwind.Builder unwind = new FrameUnwind.Builder();
            long atEntry = FrameUnwind.step(false, 8, false);
            long inFrame = FrameUnwind.step(false, 8 + OPERAND_BYTES, false);
            for (Builtin builtin : Builtin.values()) {
                asm.align(16);
                offsets[builtin.ordinal()] = asm.position();
                unwind.at(asm.position(), atEntry);
                Label exhausted = asm.newLabel();
                asm.test(OperandSize.DWORD, Gpr.RSP, StackGeometry.WINDOW_MASK);
                asm.jcc(Cond.E, exhausted);
                asm.sub(OperandSize.QWORD, Gpr.RSP, OPERAND_BYTES);
                unwind.at(asm.position(), inFrame);
                for (int i = 0; i < operands.length; i++) {
                    asm.mov(OperandSize.QWORD, Mem.of(Gpr.RSP, 8 * i), operands[i]);
                }
                asm.mov(OperandSize.QWORD, Gpr.RSI, Gpr.RSP);
                asm.mov(OperandSize.DWORD, Gpr.RDX, builtin.ordinal());
                asm.movabs(Gpr.R8, upcall);
                asm.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
                asm.call(Gpr.RAX);
                asm.add(OperandSize.QWORD, Gpr.RSP, OPERAND_BYTES);
                unwind.at(asm.position(), atEntry);
                boolean grow = builtin == Builtin.MEMORY_GROW || builtin == Builtin.MEMORY_GROW_N
                        || builtin == Builtin.TABLE_GROW;
                Label threw = asm.newLabel();
                if (grow) {                                     // the embedder's limiter threw: trap here
                    asm.cmp(OperandSize.QWORD, Gpr.RAX, GROW_THREW);
                    asm.jcc(Cond.E, threw);
                }
                asm.ret();
                asm.bind(exhausted);
                jumpToRaise(asm, TrapCode.CALL_STACK_EXHAUSTED.code());
                if (grow) {                                     // [rsp] is the wasm caller's return address
                    asm.bind(threw);
                    jumpToRaise(asm, HostBridge.THREW);
                }
            }
            byte[] bytes = asm.finish();
            CodeMemory code = StubCode.install(bytes, unwind.build());
            for (int i = 0; i < offsets.length; i++) ADDRESSES[i] = code.address() + offsets[i];
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The stub compiled code calls for {@code builtin}. */
    public static long address(Builtin builtin) {
        return ADDRESSES[builtin.ordinal()];
    }

    /** The upcall: never throws. */
    private static long run(long vmctx, long operandsAddress, long ordinal, long unused) {
        Builtin builtin = Builtin.values()[(int) ordinal];
        try {
            MemorySegment operands = NativeHeap.at(operandsAddress, OPERAND_BYTES);
            long a = operands.get(JAVA_LONG, 0);
            long b = operands.get(JAVA_LONG, 8);
            long c = operands.get(JAVA_LONG, 16);
            long d = operands.get(JAVA_LONG, 24);
            long e = operands.get(JAVA_LONG, 32);
            RuntimeInstance instance = RuntimeInstance.ofContext(vmctx);
            // operands of an address type are u32 for a 32-bit memory or table, u64 for memory64 / table64
            return switch (builtin) {
                case MEMORY_GROW -> grow(instance.memories[0], b(instance.memories[0], a));
                case MEMORY_FILL -> memoryFill(instance.memories[0], b(instance.memories[0], a), (byte) b,
                        b(instance.memories[0], c));
                case MEMORY_COPY -> memoryCopy(instance.memories[0], b(instance.memories[0], a),
                        b(instance.memories[0], b), b(instance.memories[0], c));
                case MEMORY_INIT -> memoryInit(instance, 0, (int) a, b(instance.memories[0], b), u32(c), u32(d));
                case DATA_DROP -> {
                    instance.dataSegments[(int) a] = new byte[0];
                    yield 0;
                }
                case TABLE_GROW -> {
                    TableInstance table = instance.tables[(int) a];
                    long delta = e(table, c);
                    yield delta < 0 ? -1 : table.grow(delta, b);  // beyond 2^63-1 elements: no table grows so far
                }
                case TABLE_FILL -> tableFill(instance.tables[(int) a], e(instance.tables[(int) a], b), c,
                        e(instance.tables[(int) a], d));
                case TABLE_COPY -> {
                    TableInstance to = instance.tables[(int) a];
                    TableInstance from = instance.tables[(int) b];
                    // the length has the smaller address type: i64 only when both tables are table64
                    long length = to.address64() && from.address64() ? e : u32(e);
                    yield tableCopy(to, from, e(to, c), e(from, d), length);
                }
                case TABLE_INIT -> tableInit(instance, (int) a, (int) b, e(instance.tables[(int) a], c), u32(d),
                        u32(e));
                case ELEM_DROP -> {
                    instance.elementSegments[(int) a] = new long[0];
                    yield 0;
                }
                case MEMORY_GROW_N -> grow(instance.memories[(int) a], b(instance.memories[(int) a], b));
                case MEMORY_INIT_N -> memoryInit(instance, (int) a, (int) b, b(instance.memories[(int) a], c),
                        u32(d), u32(e));
            };
        } catch (StackOverflowError e) {
            return HostBridge.STACK_EXHAUSTED;
        } catch (GrowLimits.Refusal refusal) {                  // the embedder's limiter threw: the grow traps
            PendingThrowable.park(refusal.getCause());
            return GROW_THREW;
        } catch (Throwable t) {
            if (builtin == Builtin.MEMORY_GROW || builtin == Builtin.MEMORY_GROW_N || builtin == Builtin.TABLE_GROW) {
                return -1;
            }
            PendingThrowable.park(t);
            return HostBridge.THREW;
        }
    }

    private static long u32(long value) {
        return value & 0xFFFF_FFFFL;
    }

    /** An address operand of {@code memory}: all 64 bits for memory64, else the low 32. */
    private static long b(LinearMemory memory, long value) {
        return memory.address64() ? value : u32(value);
    }

    /** An index operand of {@code table}: all 64 bits for table64, else the low 32. */
    private static long e(TableInstance table, long value) {
        return table.address64() ? value : u32(value);
    }

    /** {@code memory.grow}: a delta beyond 2^63-1 pages (negative as a long) fails, as any too large one. */
    private static long grow(LinearMemory memory, long delta) {
        return delta < 0 ? -1 : memory.grow(delta);
    }

    /** True unless {@code [start, start + length)} lies within {@code [0, size)}, in unsigned 64-bit arithmetic. */
    private static boolean outside(long start, long length, long size) {
        return Long.compareUnsigned(start, size) > 0 || Long.compareUnsigned(length, size - start) > 0;
    }

    private static final int OOB_MEMORY = TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS.code();
    private static final int OOB_TABLE = TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS.code();

    static int memoryFill(LinearMemory memory, long dst, byte value, long length) {
        if (outside(dst, length, memory.byteSize())) return OOB_MEMORY;
        memory.segment().asSlice(dst, length).fill(value);
        return 0;
    }

    static int memoryCopy(LinearMemory memory, long dst, long src, long length) {
        long size = memory.byteSize();
        if (outside(dst, length, size) || outside(src, length, size)) return OOB_MEMORY;
        MemorySegment bytes = memory.segment();
        MemorySegment.copy(bytes, src, bytes, dst, length);
        return 0;
    }

    /** {@code memory.init} of data segment {@code segment} into memory {@code memoryIndex}. */
    static int memoryInit(RuntimeInstance instance, int memoryIndex, int segment, long dst, long src, long length) {
        byte[] data = instance.dataSegments[segment];
        LinearMemory memory = instance.memories[memoryIndex];
        if (outside(src, length, data.length) || outside(dst, length, memory.byteSize())) return OOB_MEMORY;
        MemorySegment.copy(MemorySegment.ofArray(data), src, memory.segment(), dst, length);
        return 0;
    }

    static int tableFill(TableInstance table, long dst, long value, long length) {
        if (outside(dst, length, table.size())) return OOB_TABLE;
        for (long i = 0; i < length; i++) table.set(dst + i, value);
        return 0;
    }

    static int tableCopy(TableInstance dstTable, TableInstance srcTable, long dst, long src, long length) {
        if (outside(dst, length, dstTable.size()) || outside(src, length, srcTable.size())) return OOB_TABLE;
        if (dstTable == srcTable && dst > src) {
            for (long i = length - 1; i >= 0; i--) dstTable.set(dst + i, srcTable.get(src + i));
        } else {
            for (long i = 0; i < length; i++) dstTable.set(dst + i, srcTable.get(src + i));
        }
        return 0;
    }

    /** {@code table.init} of element segment {@code segment} into table {@code tableIndex}. */
    static int tableInit(RuntimeInstance instance, int tableIndex, int segment, long dst, long src, long length) {
        long[] items = instance.elementSegments[segment];
        TableInstance table = instance.tables[tableIndex];
        if (outside(src, length, items.length) || outside(dst, length, table.size())) return OOB_TABLE;
        for (long i = 0; i < length; i++) table.set(dst + i, items[(int) (src + i)]);
        return 0;
    }

    /** {@code mov edi, code; movabs rax, raise; jmp rax}: raises trap {@code code} at the wasm call site. */
    private static void jumpToRaise(Assembler asm, int code) {
        asm.mov(OperandSize.DWORD, Gpr.RDI, code);
        asm.movabs(Gpr.RAX, RuntimeStubs.get().raiseAddress());
        asm.jmp(Gpr.RAX);
    }
}
