package dev.isthmus.runtime.loader;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.LazyTable;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.instance.LazyCalls;
import dev.isthmus.runtime.instance.SavedRegisters;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;

import java.util.Arrays;

/**
 * The part of a {@link LazyCode} mapped when the module is loaded: the adapters of every type, the lazy handler and
 * one stub per defined function, in one R+X mapping registered with the signal shim, its unwind steps answered by
 * {@link BaseFrames} (none of it is a wasm frame).
 *
 * <pre>
 *   [ adapters (entry, host-call) per type | handler | stub[imports] stub[imports + 1] ... 16 bytes each ]
 * </pre>
 */
final class LazyBase implements AutoCloseable {
    static final int STUB_BYTES = 16;

    private final CodeMemory code;
    private final Registration registration;
    private final int[] entryAdapters;
    private final int[] hostAdapters;
    private final int stubsOffset;
    private final int imports;

    /** Assembles and maps the base code of a module whose lazy table is at {@code table}. */
    LazyBase(byte[] adapterCode, int[] entryAdapters, int[] hostAdapters, FrameUnwind adapterUnwind, long table,
             int imports, int functions) {
        this.entryAdapters = entryAdapters.clone();
        this.hostAdapters = hostAdapters.clone();
        this.imports = imports;
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
        CodeMemory mapped = CodeMemory.allocate(Math.max(bytes.length, 1), frames);
        try {
            mapped.write(0, bytes);
            mapped.seal();
            frames.start = mapped.address();
            this.registration = FaultTables.registerCode(mapped);
        } catch (RuntimeException | Error e) {
            mapped.close();
            throw e;
        }
        this.code = mapped;
    }

    long stubAddress(int function) {
        return code.address() + stubsOffset + (long) STUB_BYTES * (function - imports);
    }

    long entryAdapterAddress(int typeIndex) {
        return code.address() + entryAdapters[typeIndex];
    }

    long hostAdapterAddress(int typeIndex) {
        return code.address() + hostAdapters[typeIndex];
    }

    @Override
    public void close() {
        registration.close();
        code.close();
    }


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
        SavedRegisters.save(a, ARGUMENTS, XMM_AREA, 8);
        a.mov(OperandSize.QWORD, Gpr.RDI, Gpr.R15);
        a.mov(OperandSize.DWORD, Gpr.RSI, Gpr.R11);
        a.mov(OperandSize.DWORD, Gpr.RDX, 0);
        a.mov(OperandSize.DWORD, Gpr.RCX, 0);
        a.movabs(Gpr.R8, LazyCalls.compileUpcall());
        a.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
        a.call(Gpr.RAX);
        a.cmp(OperandSize.QWORD, Gpr.RAX, 4096);
        a.jcc(Cond.B, failed);
        SavedRegisters.restore(a, ARGUMENTS, XMM_AREA, 8);
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
}
