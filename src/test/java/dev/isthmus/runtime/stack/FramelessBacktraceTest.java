package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.ThreadContextLayout;
import static dev.isthmus.x64.Gpr.R11;
import static dev.isthmus.x64.Gpr.R12;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBP;
import static dev.isthmus.x64.Gpr.RBX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RSP;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.signal.SignalShim;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Backtraces through functions without frame pointers, walked with their unwind tables — and the three prologue
 * shapes that trap on overflow (explicit-pinned, explicit through the stack header, probe), hand-assembled the way
 * the compiler emits them. rbp holds garbage throughout (the functions never set it up), so only the tables can
 * find the callers.
 */
class FramelessBacktraceTest {
    private static final int PROBE_DISTANCE = 16 << 10;

    /** outer(rdi = inner) → middle(rdi) → inner(), and the recursions; offsets of the interesting instructions. */
    private static final class Module {
        final UnwindModule m = new UnwindModule();
        final int outer;
        final int outerCall;
        final int middle;
        final int middleCall;
        final int ud2Function;
        final int raiseFunction;
        final int raiseCall;
        final int pinned;
        final int pinnedCall;
        final int chained;
        final int chainedCall;
        final int probe;
        final int probeCall;
        final int loadLimitThroughHeader;
        final int garbageRbpTable;
        final int hugeCfaTable;

        Module() {
            var asm = m.asm;
            Label middleLabel = asm.newLabel();

            // outer: 24 bytes of frame, rbp clobbered
            outer = m.begin();
            asm.mov(QWORD, RBP, 0x5A5A_5A5AL);
            asm.sub(QWORD, RSP, 24);
            m.at(FrameUnwind.step(false, 32, false));
            asm.call(middleLabel);
            outerCall = asm.position() - 1;
            asm.add(QWORD, RSP, 24);
            m.at(FrameUnwind.step(false, 8, false));
            asm.ret();
            m.end(0, "outer");

            // middle: two callee-saved registers pushed, no frame pointer
            middle = m.begin();
            asm.bind(middleLabel);
            asm.push(RBX);
            m.at(FrameUnwind.step(false, 16, false));
            asm.push(R12);
            m.at(FrameUnwind.step(false, 24, false));
            asm.call(RDI);
            middleCall = asm.position() - 1;
            asm.pop(R12);
            asm.pop(RBX);
            m.at(FrameUnwind.step(false, 8, false));
            asm.ret();
            m.end(1, "middle");

            // leaves without any frame
            ud2Function = m.begin();
            asm.ud2();
            m.end(2, "unreachable");

            raiseFunction = m.begin();
            asm.mov(DWORD, RDI, TrapCode.INTEGER_OVERFLOW.code());
            asm.movabs(RAX, RuntimeStubs.get().raiseAddress());
            asm.call(RAX);
            raiseCall = asm.position() - 1;
            m.end(3, "raise");

            // explicit-pinned: test esp, WINDOW_MASK; jz overflow — overflow jumps to raise before any push
            pinned = m.begin();
            Label pinnedSelf = asm.newLabel();
            Label pinnedOverflow = asm.newLabel();
            asm.bind(pinnedSelf);
            asm.test(DWORD, RSP, StackGeometry.WINDOW_MASK);
            asm.jcc(Cond.E, pinnedOverflow);
            asm.push(RBX);
            m.at(FrameUnwind.step(false, 16, false));
            asm.call(pinnedSelf);
            pinnedCall = asm.position() - 1;
            asm.pop(RBX);
            m.at(FrameUnwind.step(false, 8, false));
            asm.ret();
            overflow(asm, pinnedOverflow);
            m.end(4, "pinned");

            // explicit (wasmtime's shape): the limit through the stack header and the thread context
            chained = m.begin();
            Label chainedSelf = asm.newLabel();
            Label chainedOverflow = asm.newLabel();
            asm.bind(chainedSelf);
            loadLimit(asm);
            asm.cmp(QWORD, RSP, R11);
            asm.jcc(Cond.B, chainedOverflow);
            asm.push(RBX);
            m.at(FrameUnwind.step(false, 16, false));
            asm.call(chainedSelf);
            chainedCall = asm.position() - 1;
            asm.pop(RBX);
            m.at(FrameUnwind.step(false, 8, false));
            asm.ret();
            overflow(asm, chainedOverflow);
            m.end(5, "chained");

            // probe: test [rsp - PROBE_DISTANCE], eax faults in the guard while RSP still has room
            probe = m.begin();
            Label probeSelf = asm.newLabel();
            asm.bind(probeSelf);
            asm.test(DWORD, Mem.of(RSP, -PROBE_DISTANCE), RAX);
            asm.push(RBX);
            m.at(FrameUnwind.step(false, 16, false));
            asm.call(probeSelf);
            probeCall = asm.position() - 1;
            asm.pop(RBX);
            m.at(FrameUnwind.step(false, 8, false));
            asm.ret();
            m.end(6, "probe");

            loadLimitThroughHeader = m.begin();
            loadLimit(asm);
            asm.mov(QWORD, RAX, R11);
            asm.ret();
            m.end(7, "loadLimit");

            // wrong tables must not make the walker read outside the stack
            garbageRbpTable = m.begin();
            asm.movabs(RBP, 0x5A5A_5A5A_5A50L);
            m.at(FrameUnwind.step(true, 16, true));
            asm.ud2();
            m.end(8, "garbageRbp");

            hugeCfaTable = m.begin();
            m.at(FrameUnwind.step(false, 64 << 20, false));
            asm.ud2();
            m.end(9, "hugeCfa");
            m.load();
        }

        /** r11 = [[rsp & -ALIGNMENT + CONTEXT_SLOT] + stackLimit]. */
        private static void loadLimit(dev.isthmus.x64.Assembler asm) {
            asm.mov(QWORD, R11, RSP);
            asm.and(QWORD, R11, -StackGeometry.ALIGNMENT);
            asm.mov(QWORD, R11, Mem.of(R11, StackGeometry.CONTEXT_SLOT));
            asm.mov(QWORD, R11, Mem.of(R11, (int) ThreadContextLayout.STACK_LIMIT));
        }

        private static void overflow(dev.isthmus.x64.Assembler asm, Label overflow) {
            asm.bind(overflow);
            asm.mov(DWORD, RDI, TrapCode.CALL_STACK_EXHAUSTED.code());
            asm.movabs(RAX, RuntimeStubs.get().raiseAddress());
            asm.jmp(RAX);
        }

        long address(int offset) {
            return m.address(offset);
        }
    }

    private static final Module MODULE = new Module();

    @Test
    void signalTrapWalksFramesWithoutFramePointers() {
        TrapException trap = assertThrows(TrapException.class,
                () -> WasmCall.invoke(MODULE.address(MODULE.outer), MODULE.address(MODULE.ud2Function), 0, 0, 0));
        assertEquals(TrapCode.UNREACHABLE, trap.kind());
        assertEquals(List.of(
                new TrapFrame(2, Optional.of("unreachable"), 0),
                new TrapFrame(1, Optional.of("middle"), MODULE.middleCall - MODULE.middle),
                new TrapFrame(0, Optional.of("outer"), MODULE.outerCall - MODULE.outer)), trap.backtrace());
        assertEquals(3, EntryRecord.current().framePcs().length, "the walk stops at the entry trampoline");
    }

    @Test
    void explicitTrapWalksFramesWithoutFramePointers() {
        TrapException trap = assertThrows(TrapException.class,
                () -> WasmCall.invoke(MODULE.address(MODULE.outer), MODULE.address(MODULE.raiseFunction), 0, 0, 0));
        assertEquals(TrapCode.INTEGER_OVERFLOW, trap.kind());
        assertEquals(List.of(
                new TrapFrame(3, Optional.of("raise"), MODULE.raiseCall - MODULE.raiseFunction),
                new TrapFrame(1, Optional.of("middle"), MODULE.middleCall - MODULE.middle),
                new TrapFrame(0, Optional.of("outer"), MODULE.outerCall - MODULE.outer)), trap.backtrace());
    }

    @Test
    void explicitPinnedCheckTrapsAtTheLimitWithoutASignal() {
        expectExplicitOverflow(MODULE.pinned, MODULE.pinnedCall, 4);
    }

    @Test
    void explicitCheckThroughTheStackHeaderTrapsAtTheLimitWithoutASignal() {
        expectExplicitOverflow(MODULE.chained, MODULE.chainedCall, 5);
    }

    private static void expectExplicitOverflow(int function, int call, int index) {
        for (int i = 0; i < 100; i++) {
            long signalsBefore = SignalShim.trappedCount();
            TrapException trap = assertThrows(TrapException.class, () -> WasmCall.invoke(MODULE.address(function)));
            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, trap.kind());
            assertEquals(signalsBefore, SignalShim.trappedCount(), "an explicit check needs no signal");
            EntryRecord record = EntryRecord.current();
            long limit = record.stackLimit();
            assertEquals(StackGeometry.WINDOW, limit & (StackGeometry.ALIGNMENT - 1));
            // the check fired at the first entry whose RSP was below the limit; raise saw the caller's RSP
            assertTrue(record.faultSp() >= limit - 8 && record.faultSp() < limit + 8,
                    "faultSp " + Long.toHexString(record.faultSp()) + " vs limit " + Long.toHexString(limit));
            assertEquals(EntryRecord.MAX_FRAMES, trap.backtrace().size());
            for (TrapFrame frame : trap.backtrace()) {
                // attributed to the call sites: the trapping entry's caller first
                assertEquals(new TrapFrame(index, frame.name(), call - function), frame);
            }
        }
    }

    @Test
    void probeFaultsWhileRspStillHasRoom() {
        for (int i = 0; i < 100; i++) {
            long signalsBefore = SignalShim.trappedCount();
            TrapException trap = assertThrows(TrapException.class, () -> WasmCall.invoke(MODULE.address(MODULE.probe)));
            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, trap.kind());
            assertTrue(SignalShim.trappedCount() > signalsBefore, "the probe's fault is a signal");
            EntryRecord record = EntryRecord.current();
            long guardEnd = record.stackLimit() - StackGeometry.RESERVE;
            assertTrue(record.faultSp() >= guardEnd && record.faultSp() - PROBE_DISTANCE < guardEnd,
                    "RSP above the guard, the probed address in it");
            assertEquals(record.faultSp() - PROBE_DISTANCE, record.faultAddress());
            assertEquals(EntryRecord.MAX_FRAMES, trap.backtrace().size());
            assertEquals(new TrapFrame(6, Optional.of("probe"), 0), trap.backtrace().getFirst());
            for (TrapFrame frame : trap.backtrace().subList(1, EntryRecord.MAX_FRAMES)) {
                assertEquals(new TrapFrame(6, Optional.of("probe"), MODULE.probeCall - MODULE.probe), frame);
            }
        }
    }

    @Test
    void stackHeaderLeadsToTheLimit() {
        long limit = WasmCall.invoke(MODULE.address(MODULE.loadLimitThroughHeader));
        long sp = WasmCall.invoke(TestFunctions.get().stackPointer);
        assertEquals(StackGeometry.limitOf(StackGeometry.baseOf(sp)), limit);
    }

    @Test
    void wrongTablesGiveShortBacktracesNeverAFault() {
        for (int function : new int[] {MODULE.garbageRbpTable, MODULE.hugeCfaTable}) {
            for (int i = 0; i < 20; i++) {
                TrapException trap = assertThrows(TrapException.class,
                        () -> WasmCall.invoke(MODULE.address(MODULE.outer), MODULE.address(function), 0, 0, 0));
                assertEquals(TrapCode.UNREACHABLE, trap.kind());
                assertEquals(1, trap.backtrace().size(), trap.describe());
            }
        }
    }
}
