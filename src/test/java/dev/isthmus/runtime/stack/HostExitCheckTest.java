package dev.isthmus.runtime.stack;

import static dev.isthmus.x64.Gpr.R11;
import static dev.isthmus.x64.Gpr.R8;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBP;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.Gpr.RSP;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.instance.Builtins;
import dev.isthmus.runtime.signal.SignalShim;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Host exits refuse to start below the wasm stack's limit: the host-call bridge and the builtin stubs check
 * {@code test esp, WINDOW_MASK} first and raise "call stack exhausted", attributed to the wasm call site, without
 * running any host code — and run normally just above the limit.
 */
class HostExitCheckTest {
    private static final AtomicInteger HOST_CALLS = new AtomicInteger();
    private static final long COUNTING_HOST = upcall();

    /**
     * {@code nearLimit(rdi = exit stub, rsi = upcall, rdx = d)}: moves RSP to {@code limit + d} and calls the stub
     * (its entry sees {@code limit + d - 8}) with rdi = 5, r8 = upcall; frame pointer kept.
     */
    private static final UnwindModule MODULE = new UnwindModule();
    private static final int NEAR_LIMIT = MODULE.begin();
    private static final int CALL_SITE;

    static {
        var asm = MODULE.asm;
        asm.push(RBP);
        MODULE.at(FrameUnwind.step(false, 16, true));
        asm.mov(QWORD, RBP, RSP);
        MODULE.at(FrameUnwind.step(true, 16, true));
        asm.mov(QWORD, RAX, RSP);
        asm.and(QWORD, RAX, -StackGeometry.ALIGNMENT);
        asm.add(QWORD, RAX, StackGeometry.WINDOW);
        asm.add(QWORD, RAX, RDX);
        asm.mov(QWORD, R11, RDI);
        asm.mov(QWORD, R8, RSI);
        asm.mov(DWORD, RDI, 5);
        asm.mov(QWORD, RSP, RAX);
        asm.call(R11);
        CALL_SITE = asm.position() - 1;
        asm.mov(QWORD, RSP, RBP);
        asm.pop(RBP);
        asm.ret();
        MODULE.end(0, "nearLimit");
        MODULE.load();
    }

    @Test
    void hostCallBelowTheLimitTrapsAtTheCallSite() {
        for (int i = 0; i < 100; i++) {
            int before = HOST_CALLS.get();
            long signals = SignalShim.trappedCount();
            expectExhaustedAtCallSite(RuntimeStubs.get().hostCallAddress(), 0);
            assertEquals(before, HOST_CALLS.get(), "the host function did not run");
            assertEquals(signals, SignalShim.trappedCount(), "an explicit check, no signal");
            assertEquals(1, EntryRecord.current().framePcs().length);
        }
    }

    @Test
    void hostCallJustAboveTheLimitRuns() {
        for (int i = 0; i < 100; i++) {
            int before = HOST_CALLS.get();
            assertEquals(5 * 3, WasmCall.invoke(MODULE.address(NEAR_LIMIT), RuntimeStubs.get().hostCallAddress(),
                    COUNTING_HOST, 16, 0));
            assertEquals(before + 1, HOST_CALLS.get());
        }
    }

    @Test
    void builtinBelowTheLimitTrapsAtTheCallSite() {
        for (int i = 0; i < 100; i++) {
            expectExhaustedAtCallSite(Builtins.address(Builtin.MEMORY_GROW), 0);
            assertEquals(1, EntryRecord.current().framePcs().length);
        }
    }

    @Test
    void builtinWhoseHostCallWouldStartBelowTheLimitTrapsAtTheWasmCallSite() {
        // the stub's own check passes (limit + 8); its 56-byte frame puts the bridge below the limit: the walk
        // steps through the stub with its unwind table to the wasm caller
        for (int i = 0; i < 100; i++) {
            expectExhaustedAtCallSite(Builtins.address(Builtin.TABLE_FILL), 16);
            assertEquals(2, EntryRecord.current().framePcs().length);
        }
    }

    private static void expectExhaustedAtCallSite(long exit, long distance) {
        TrapException trap = assertThrows(TrapException.class,
                () -> WasmCall.invoke(MODULE.address(NEAR_LIMIT), exit, COUNTING_HOST, distance, 0));
        assertEquals(TrapCode.CALL_STACK_EXHAUSTED, trap.kind());
        assertEquals(List.of(new TrapFrame(0, Optional.of("nearLimit"), CALL_SITE - NEAR_LIMIT)), trap.backtrace());
        assertEquals(7, WasmCall.invoke(TestFunctions.get().weightedSum, 7, 0, 0, 0), "works afterwards");
    }

    static long countingHost(long a, long b, long c, long d) {
        HOST_CALLS.incrementAndGet();
        return a * 3;
    }

    private static long upcall() {
        try {
            var handle = MethodHandles.lookup().findStatic(HostExitCheckTest.class, "countingHost",
                    MethodType.methodType(long.class, long.class, long.class, long.class, long.class));
            return Linker.nativeLinker().upcallStub(handle, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG, JAVA_LONG), Arena.global()).address();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
