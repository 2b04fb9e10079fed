package dev.isthmus.runtime.stack;

import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBP;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RSP;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Label;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Traps carry a wasm backtrace: {@link FrameWalker} steps through the frames with the unwind tables of the code's
 * owner (a {@link FrameUnwindSource}) and the owner (a {@link WasmFrameSource}, like a compiled module) names them.
 * Here every function keeps a frame pointer; {@link FramelessBacktraceTest} has functions without.
 */
class BacktraceTest {
    /** The table of a function that starts with {@code push rbp; mov rbp, rsp}. */
    static final FrameUnwind FRAME_POINTER = new FrameUnwind.Builder()
            .at(0, FrameUnwind.step(false, 8, false))
            .at(1, FrameUnwind.step(false, 16, true))
            .at(4, FrameUnwind.step(true, 16, true))
            .build();

    /** A tiny "module": functions with frame pointers, named, with their code offsets. */
    private static final class Module implements WasmFrameSource, FrameUnwindSource {
        record Function(int index, String name, int start, int end) {
        }

        final List<Function> functions = new ArrayList<>();
        CodeMemory code;
        int outer;
        int middle;
        int innerUnreachable;
        int innerRaise;
        int innerRecursion;
        int middleCall;
        int outerCall;
        int ud2Offset;
        int raiseCall;

        Module() {
            // outer(rdi = inner) → middle(rdi) → inner()
            Assembler asm = new Assembler();
            Label middleLabel = asm.newLabel();

            outer = begin(asm);
            asm.call(middleLabel);
            outerCall = asm.position() - 1;                  // the last byte of the call: return address - 1
            end(asm, 0, "outer", outer);

            asm.align(16);
            asm.bind(middleLabel);
            middle = begin(asm);
            asm.call(RDI);
            middleCall = asm.position() - 1;
            end(asm, 1, "middle", middle);

            innerUnreachable = begin(asm);
            ud2Offset = asm.position();
            asm.ud2();
            functions.add(new Function(2, "unreachable", innerUnreachable, asm.position()));

            innerRaise = begin(asm);
            asm.mov(DWORD, RDI, TrapCode.INTEGER_OVERFLOW.code());
            asm.movabs(RAX, RuntimeStubs.get().raiseAddress());
            asm.call(RAX);
            raiseCall = asm.position() - 1;
            functions.add(new Function(3, "raise", innerRaise, asm.position()));

            asm.align(16);
            innerRecursion = asm.position();
            Label self = asm.newLabel();
            asm.bind(self);
            asm.push(RBP);
            asm.mov(QWORD, RBP, RSP);
            asm.call(self);
            functions.add(new Function(4, "recurse", innerRecursion, asm.position()));

            code = CodeMemory.allocate(asm.position() + 256, this);
            code.write(0, asm.finish());
            code.seal();
            FaultTables.registerCode(code);
        }

        private int begin(Assembler asm) {
            asm.align(16);
            int start = asm.position();
            asm.push(RBP);
            asm.mov(QWORD, RBP, RSP);
            return start;
        }

        private void end(Assembler asm, int index, String name, int start) {
            asm.pop(RBP);
            asm.ret();
            functions.add(new Function(index, name, start, asm.position()));
        }

        long address(int offset) {
            return code.address() + offset;
        }

        @Override
        public Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
            long offset = (returnAddress ? pc - 1 : pc) - code.address();
            for (Function function : functions) {
                if (offset >= function.start && offset < function.end) {
                    return Optional.of(new TrapFrame(function.index, Optional.of(function.name),
                            (int) (offset - function.start)));
                }
            }
            return Optional.empty();
        }

        @Override
        public long unwindStepAt(long pc) {
            long offset = pc - code.address();
            for (Function function : functions) {
                if (offset >= function.start && offset < function.end) {
                    return FRAME_POINTER.stepAt((int) (offset - function.start));
                }
            }
            return NO_STEP;
        }
    }

    private static final Module MODULE = new Module();

    @Test
    void signalTrapHasTheWholeChain() {
        TrapException trap = assertThrows(TrapException.class,
                () -> WasmCall.invoke(MODULE.address(MODULE.outer), MODULE.address(MODULE.innerUnreachable), 0, 0, 0));
        assertEquals(TrapCode.UNREACHABLE, trap.kind());
        assertEquals(List.of(
                new TrapFrame(2, Optional.of("unreachable"), MODULE.ud2Offset - MODULE.innerUnreachable),
                new TrapFrame(1, Optional.of("middle"), MODULE.middleCall - MODULE.middle),
                new TrapFrame(0, Optional.of("outer"), MODULE.outerCall - MODULE.outer)), trap.backtrace());
        assertEquals(3, EntryRecord.current().framePcs().length, "the walk stops at the entry trampoline");
    }

    @Test
    void explicitTrapHasTheWholeChain() {
        TrapException trap = assertThrows(TrapException.class,
                () -> WasmCall.invoke(MODULE.address(MODULE.outer), MODULE.address(MODULE.innerRaise), 0, 0, 0));
        assertEquals(TrapCode.INTEGER_OVERFLOW, trap.kind());
        assertEquals(List.of(
                new TrapFrame(3, Optional.of("raise"), MODULE.raiseCall - MODULE.innerRaise),
                new TrapFrame(1, Optional.of("middle"), MODULE.middleCall - MODULE.middle),
                new TrapFrame(0, Optional.of("outer"), MODULE.outerCall - MODULE.outer)), trap.backtrace());
        assertTrue(trap.describe().contains("at 1: $middle @ 0x"));
    }

    @Test
    void stackExhaustionBacktraceIsTruncated() {
        TrapException trap = assertThrows(TrapException.class,
                () -> WasmCall.invoke(MODULE.address(MODULE.outer), MODULE.address(MODULE.innerRecursion), 0, 0, 0));
        assertEquals(TrapCode.CALL_STACK_EXHAUSTED, trap.kind());
        assertEquals(EntryRecord.MAX_FRAMES, EntryRecord.current().framePcs().length);
        assertEquals(EntryRecord.MAX_FRAMES, trap.backtrace().size());
        for (TrapFrame frame : trap.backtrace()) {
            assertEquals(4, frame.functionIndex());
        }
    }

    @Test
    void codeWithoutFramePointersGivesAShortBacktraceNotACrash() {
        // TestFunctions has no frame pointers and no WasmFrameSource owner: the walk reads only inside the stack.
        for (int i = 0; i < 100; i++) {
            TrapException trap = assertThrows(TrapException.class,
                    () -> WasmCall.invoke(TestFunctions.get().clobberThenTrap));
            assertEquals(List.of(), trap.backtrace());
            assertEquals(1, EntryRecord.current().framePcs().length, "no unwind table: only the faulting PC");
        }
    }
}
