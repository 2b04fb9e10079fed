package dev.isthmus.compiler.machine;

import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.BitOp;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.OperandSize;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;

/**
 * Run by {@link CpuFeaturesTest} in a child JVM: runs the cpuid/xgetbv stubs and prints what they report; and, when
 * cpuid reports LZCNT, runs {@code lzcnt} on 1 (31 with LZCNT; a CPU without it runs the same bytes as {@code bsr},
 * giving 0), since the kernel's flag list may lack {@code abm} where the CPU has it.
 */
public final class CpuFeaturesChild {
    static final String PREFIX = "cpuid ";
    static final String LZCNT = "lzcnt(1) ";

    private CpuFeaturesChild() {
    }

    public static void main(String[] args) throws Throwable {
        CpuId.Registers r = CpuId.probe();
        CpuFeatures features = CpuFeatures.fromCpuid(r);
        System.out.println("xcr0 0x" + Long.toHexString(r.xcr0()));
        System.out.println(PREFIX + features);
        if (features.lzcnt()) {
            Assembler a = new Assembler();
            a.bitOp(BitOp.LZCNT, OperandSize.DWORD, Gpr.RAX, Gpr.RDI);
            a.ret();
            try (CodeMemory code = CodeMemory.of(a.finish())) {
                int result = (int) code.entry(0, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT))
                        .invokeExact(1);
                System.out.println(LZCNT + result);
            }
        }
    }
}
