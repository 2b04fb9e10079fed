package dev.isthmus.compiler.optimizing;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.options.Tier;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrPrinter;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.signal.ListingFiles;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import dev.isthmus.explore.Disassembler;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizing tier: SSA construction, simplification, and the precise output for the seed's ackermann. */
class OptimizingTierTest {
    private static WasmModule load(byte[] binary) {
        WasmModule m = ModuleDecoder.decode(binary);
        Validator.validate(m);
        return m;
    }

    @Test
    void loopBecomesPhisAndConstantsFold() {
        WasmModule m = load(Wat.toBinary("""
                (module (func (param i32) (result i32) (local i32)
                  (local.set 1 (i32.add (i32.const 2) (i32.const 3)))
                  (loop (local.set 1 (i32.mul (local.get 1) (local.get 0)))
                        (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                  (local.get 1)))
                """));
        IrFunction f = SsaBuilder.build(m, 0);
        Simplifier.run(f);
        String ir = IrPrinter.print(f);
        assertTrue(ir.contains("= const 5"), ir);
        assertTrue(ir.contains("= phi"), ir);
        assertTrue(!ir.contains("= add"), ir);
    }

    @Test
    void unsupportedInstructionsFallBack() {
        // more locals than the tier takes (2048): each would be a frame slot
        WasmModule m = load(Wat.toBinary("(module (func (local" + " i32".repeat(2049) + ")))"));
        assertNull(OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), 0));
    }

    /** Ackermann: M and the loop counter in callee-saved registers (live across the call), compare+branch fused. */
    @Test
    void ackermannListing() throws Exception {
        WasmModule m = load(Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm")));
        CompiledFunction f = OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), m.importedFunctionCount());
        assertNotNull(f);
        MachineCode code = ModuleCompiler.compile(m, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
        byte[] bytes = code.code();
        String listing;
        try (Disassembler d = Disassembler.open()) {
            listing = d.listing(Arrays.copyOfRange(bytes, code.functionOffset(0), code.functionEnd(0)), 0);
        }
        ListingFiles.assertApproved("compiler/ackermann-optimizing.listing", listing);
        assertEquals(f.code().length - f.entry(), code.functionEnd(0) - code.functionOffset(0));
    }

    /** How much of big.wasm the tier compiles, and how fast (CPU time of this thread, like CompileThroughputTest). */
    @Test
    void bigWasmCoverageAndThroughput() throws Exception {
        WasmModule m = load(Files.readAllBytes(Path.of("examples/compile-bench/big.wasm")));
        VmContextLayout vm = VmContextLayout.of(m);
        int defined = m.functions().size();
        int compiled = 0;
        for (int i = 0; i < defined; i++) {
            if (OptimizingCompiler.tryCompile(m, vm, m.importedFunctionCount() + i) != null) compiled++;
        }
        long codeBytes = 0;
        for (var body : m.codes()) codeBytes += body.codeUnsafe().length;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double best = 0;
        for (int round = 0; round < 25; round++) { // enough rounds for the JIT to compile the tier
            long start = threads.getCurrentThreadCpuTime();
            ModuleCompiler.compile(m, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
            long nanos = threads.getCurrentThreadCpuTime() - start;
            best = Math.max(best, codeBytes / (nanos / 1e9) / 1e6);
        }
        System.out.printf("optimizing tier: %d of %d functions of big.wasm, %.1f MB/s (with baseline fallbacks)%n",
                compiled, defined, best);
        assertTrue(best >= 1, "compile throughput " + best + " MB/s"); // loose: CI machines are shared
    }
}
