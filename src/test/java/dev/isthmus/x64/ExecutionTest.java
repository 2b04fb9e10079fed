package dev.isthmus.x64;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.x64.Gpr.*;
import static dev.isthmus.x64.OperandSize.*;
import static dev.isthmus.x64.Xmm.XMM0;
import static dev.isthmus.x64.Xmm.XMM1;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs assembled functions natively (System V ABI: arguments in rdi, rsi / xmm0; result in rax / xmm0) through a
 * MethodHandle: labels, recursion, constant pool, jump table and conversions working together, not only decoding.
 * Only baseline x86-64 plus SSE4.1 (roundsd) is used.
 */
class ExecutionTest {
    private static final FunctionDescriptor LONG_LONG = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor LONG_LONG_LONG = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor DOUBLE_DOUBLE = FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE);

    @Test
    void assembledFunctionsComputeTheRightResults() throws Throwable {
        Assembler a = new Assembler();

        // long fib(long n): iterative
        int fib = a.position();
        Label loop = a.newLabel(), done = a.newLabel();
        a.xor(DWORD, RAX, RAX);
        a.mov(DWORD, RCX, 1);
        a.test(QWORD, RDI, RDI);
        a.jcc(Cond.E, done);
        a.bind(loop);
        a.lea(QWORD, RDX, Mem.of(RAX, RCX, 1, 0));
        a.mov(QWORD, RAX, RCX);
        a.mov(QWORD, RCX, RDX);
        a.dec(QWORD, RDI);
        a.jcc(Cond.NE, loop);
        a.bind(done);
        a.ret();

        // long ack(long m, long n): recursive, with tail calls as jumps
        a.align(16);
        int ack = a.position();
        Label entry = a.newLabel(), mPositive = a.newLabel(), nPositive = a.newLabel();
        a.bind(entry);
        a.test(QWORD, RDI, RDI);
        a.jccShort(Cond.NE, mPositive);
        a.lea(QWORD, RAX, Mem.of(RSI, 1));
        a.ret();
        a.bind(mPositive);
        a.test(QWORD, RSI, RSI);
        a.jccShort(Cond.NE, nPositive);
        a.dec(QWORD, RDI);
        a.mov(DWORD, RSI, 1);
        a.jmp(entry);
        a.bind(nPositive);
        a.push(RDI);
        a.dec(QWORD, RSI);
        a.call(entry);
        a.pop(RDI);
        a.dec(QWORD, RDI);
        a.mov(QWORD, RSI, RAX);
        a.jmp(entry);

        // double f(double x) = floor(sqrt(|x|) * 2.5)
        a.align(16);
        int f = a.position();
        a.sse(SseOp.ANDPD, XMM0, Mem.rip(a.constant128(0x7FFF_FFFF_FFFF_FFFFL, 0x7FFF_FFFF_FFFF_FFFFL)));
        a.sse(SseOp.SQRTSD, XMM0, XMM0);
        a.sse(SseOp.MULSD, XMM0, Mem.rip(a.constant64(Double.doubleToRawLongBits(2.5))));
        a.roundsd(XMM0, XMM0, 9);
        a.ret();

        // long select(long i): a jump table over 0..3, default -1
        a.align(16);
        int select = a.position();
        Label table = a.newLabel(), fallback = a.newLabel();
        Label[] cases = {a.newLabel(), a.newLabel(), a.newLabel(), a.newLabel()};
        a.cmp(QWORD, RDI, 3);
        a.jcc(Cond.A, fallback);
        a.lea(QWORD, RCX, Mem.rip(table));
        a.movsxd(RAX, Mem.of(RCX, RDI, 4, 0));
        a.add(QWORD, RAX, RCX);
        a.jmp(RAX);
        for (int i = 0; i < cases.length; i++) {
            a.bind(cases[i]);
            a.mov(DWORD, RAX, 100 + i);
            a.ret();
        }
        a.bind(fallback);
        a.mov(QWORD, RAX, -1);
        a.ret();
        a.align(4);
        a.bind(table);
        for (Label c : cases) a.emitLabelOffset32(c, table);

        // long divide(long a, long b) = (long) ((double) (a / b) * 0.5): cqo/idiv and int/double conversions
        a.align(16);
        int divide = a.position();
        a.mov(QWORD, RAX, RDI);
        a.cqo();
        a.idiv(QWORD, RSI);
        a.cvtsi2sd(XMM1, QWORD, RAX);
        a.sse(SseOp.MULSD, XMM1, Mem.rip(a.constant64(Double.doubleToRawLongBits(0.5))));
        a.cvttsd2si(QWORD, RAX, XMM1);
        a.ret();

        byte[] code = a.finish();
        try (NativeCode nativeCode = NativeCode.load(code)) {
            MethodHandle fibHandle = nativeCode.function(fib, LONG_LONG);
            assertEquals(0L, (long) fibHandle.invokeExact(0L));
            assertEquals(1L, (long) fibHandle.invokeExact(1L));
            assertEquals(55L, (long) fibHandle.invokeExact(10L));
            assertEquals(2880067194370816120L, (long) fibHandle.invokeExact(90L));

            MethodHandle ackHandle = nativeCode.function(ack, LONG_LONG_LONG);
            assertEquals(9L, (long) ackHandle.invokeExact(2L, 3L));
            assertEquals(61L, (long) ackHandle.invokeExact(3L, 3L));
            assertEquals(509L, (long) ackHandle.invokeExact(3L, 6L));

            MethodHandle fHandle = nativeCode.function(f, DOUBLE_DOUBLE);
            assertEquals(7.0, (double) fHandle.invokeExact(10.0));
            assertEquals(7.0, (double) fHandle.invokeExact(-10.0));
            assertEquals(25.0, (double) fHandle.invokeExact(100.0));

            MethodHandle selectHandle = nativeCode.function(select, LONG_LONG);
            for (long i = 0; i < 4; i++) assertEquals(100 + i, (long) selectHandle.invokeExact(i));
            assertEquals(-1L, (long) selectHandle.invokeExact(4L));
            assertEquals(-1L, (long) selectHandle.invokeExact(-1L));

            MethodHandle divideHandle = nativeCode.function(divide, LONG_LONG_LONG);
            assertEquals(-50L, (long) divideHandle.invokeExact(-1000L, 10L));
            assertEquals(3L, (long) divideHandle.invokeExact(7L, 1L));
        }
    }
}
