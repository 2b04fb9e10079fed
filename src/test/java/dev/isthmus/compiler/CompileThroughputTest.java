package dev.isthmus.compiler;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compile throughput on {@code examples/compile-bench/big.wasm}, in code-section bytes per second of this thread's
 * CPU time (wall time on a shared machine is noise). A guard against pathologies (a quadratic step lands far below
 * it), not a benchmark: the throughput is measured by {@code bench/.../CompileBenchmark}. The same jar measured
 * 2.5-2.7 MB/s here in the afternoon and 1.2-1.6 MB/s at night (2026-12-06, the build before and after that day's
 * compiler changes alike), so the bound sits well below both.
 */
class CompileThroughputTest {
    @Test
    void compilesAtLeastHalfAMegabytePerSecondWhenWarm() throws Exception {
        WasmModule module = TestInstance.load(Files.readAllBytes(Path.of("examples/compile-bench/big.wasm")));
        long codeBytes = 0;
        for (FunctionBody body : module.codes()) codeBytes += body.codeUnsafe().length;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = 0;
        for (int round = 0; round < 12; round++) {
            long start = threads.getCurrentThreadCpuTime();
            ModuleCompiler.compile(module, CompilerOptions.DEFAULT);
            long nanos = threads.getCurrentThreadCpuTime() - start;
            best = Math.max(best, codeBytes / (nanos / 1e9) / 1e6);
        }
        System.out.printf("compile throughput: %.1f MB/s of code section (%d bytes)%n", best, codeBytes);
        assertTrue(best >= 0.5, "compile throughput " + best + " MB/s");
    }
}
