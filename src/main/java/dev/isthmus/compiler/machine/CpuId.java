package dev.isthmus.compiler.machine;

import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.MemoryMapping;
import dev.isthmus.os.NativeCall;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.AluOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Runs {@code cpuid} and {@code xgetbv} once: two tiny functions assembled with our own assembler, mapped executable
 * through {@link MemoryMapping} (read-write, copy, read+execute: never both writable and executable) and unmapped
 * again before {@link #probe} returns.
 *
 * <pre>
 *   cpuid(int leaf, int subleaf, int* out):  push rbx; mov eax, edi; mov ecx, esi; mov r8, rdx; cpuid;
 *                                            mov [r8], eax; mov [r8+4], ebx; mov [r8+8], ecx; mov [r8+12], edx;
 *                                            pop rbx; ret
 *   xgetbv(int xcr) -> long:                 mov ecx, edi; xgetbv; shl rdx, 32; or rax, rdx; ret
 * </pre>
 */
final class CpuId {
    private static final long PAGE = 4096;

    /** The raw registers read: leaves 0, 1, 7.0 and 0x80000001 (eax, ebx, ecx, edx each), and XCR0 (0 if unreadable). */
    record Registers(int[] leaf0, int[] leaf1, int[] leaf7, int[] leaf80000001, long xcr0) {
    }

    private CpuId() {
    }

    static byte[] stubs(int[] xgetbvOffset) {
        Assembler a = new Assembler();
        a.push(Gpr.RBX);
        a.mov(OperandSize.DWORD, Gpr.RAX, Gpr.RDI);
        a.mov(OperandSize.DWORD, Gpr.RCX, Gpr.RSI);
        a.mov(OperandSize.QWORD, Gpr.R8, Gpr.RDX);
        a.cpuid();
        a.mov(OperandSize.DWORD, Mem.of(Gpr.R8), Gpr.RAX);
        a.mov(OperandSize.DWORD, Mem.of(Gpr.R8, 4), Gpr.RBX);
        a.mov(OperandSize.DWORD, Mem.of(Gpr.R8, 8), Gpr.RCX);
        a.mov(OperandSize.DWORD, Mem.of(Gpr.R8, 12), Gpr.RDX);
        a.pop(Gpr.RBX);
        a.ret();
        a.align(16);
        xgetbvOffset[0] = a.position();
        a.mov(OperandSize.DWORD, Gpr.RCX, Gpr.RDI);
        a.xgetbv();
        a.shift(ShiftOp.SHL, OperandSize.QWORD, Gpr.RDX, 32);
        a.alu(AluOp.OR, OperandSize.QWORD, Gpr.RAX, Gpr.RDX);
        a.ret();
        return a.finish();
    }

    /** Reads the registers; throws if the code cannot be mapped. */
    static Registers probe() throws Throwable {
        int[] xgetbvOffset = new int[1];
        byte[] code = stubs(xgetbvOffset);
        if (code.length > PAGE) throw new IllegalStateException("cpuid stubs larger than a page");
        long address = MemoryMapping.mapAnonymous(PAGE, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
        try {
            MemorySegment.ofAddress(address).reinterpret(PAGE).copyFrom(MemorySegment.ofArray(code));
            MemoryMapping.mprotect(address, PAGE, LinuxConstants.PROT_READ | LinuxConstants.PROT_EXEC);
            // the runtime's one downcall shape (NativeCall): no class of its own to spin for these two calls
            MethodHandle cpuid = NativeCall.handle(address);
            MethodHandle xgetbv = NativeCall.handle(address + xgetbvOffset[0]);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(16, 4);
                int[] leaf0 = call(cpuid, out, 0, 0);
                int[] leaf1 = leaf0[0] >= 1 ? call(cpuid, out, 1, 0) : new int[4];
                int[] leaf7 = leaf0[0] >= 7 ? call(cpuid, out, 7, 0) : new int[4];
                int[] ext0 = call(cpuid, out, 0x8000_0000, 0);
                int[] ext1 = Integer.compareUnsigned(ext0[0], 0x8000_0001) >= 0 ? call(cpuid, out, 0x8000_0001, 0) : new int[4];
                boolean osxsave = (leaf1[2] & 1 << 27) != 0;
                long xcr0 = osxsave ? (long) xgetbv.invokeExact(0L, 0L, 0L, 0L, 0L, 0L) : 0;
                return new Registers(leaf0, leaf1, leaf7, ext1, xcr0);
            }
        } finally {
            MemoryMapping.munmap(address, PAGE);
        }
    }

    private static int[] call(MethodHandle cpuid, MemorySegment out, int leaf, int subleaf) throws Throwable {
        long ignored = (long) cpuid.invokeExact((long) leaf, (long) subleaf, out.address(), 0L, 0L, 0L);
        return out.toArray(ValueLayout.JAVA_INT);
    }
}
