package dev.isthmus.bench;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;

import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cost of memory64's explicit bounds checks: the kernels of {@code bench/memory64} (the same C built for wasm32
 * and wasm64) under Isthmus, as the ratio of CPU time per call memory64 / memory32 in alternating slices in one JVM
 * ({@link PairedCost#paired}, the method of {@link NativeRatio}). Both results are checked to be equal.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.Memory64Ratio \
 *       [pairs] [ms] [KERNEL@N,...] [ALIGNMENT]
 * </pre>
 * Defaults: 20 pairs of 200 ms slices, {@code matmul@200,heapsort@20000}, the default code alignment; ALIGNMENT
 * ({@code CodeAlignment.parse}: {@code FUNCTION[+PADDING][:LOOP]}, e.g. {@code 64+16:32}) compiles both builds with
 * that layout instead (a hot loop's place in its 64-byte line changes matmul's time by up to 1.5x on these machines:
 * compare builds over several layouts). Run from the repository root
 * ({@code scripts/memory64-bench.sh}).
 */
public final class Memory64Ratio {
    private Memory64Ratio() {
    }

    public static void main(String[] args) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1_000_000L;
        String kernels = args.length > 2 ? args[2] : "matmul@200,heapsort@20000";
        Path dir = Path.of("bench/memory64/wasm");
        Isthmus.Builder builder = Isthmus.builder();
        if (args.length > 3) builder.codeAlignment(dev.isthmus.options.CodeAlignment.parse(args[3]));
        Isthmus engine = builder.build();
        System.out.printf("%-18s %12s %12s %8s %8s %8s   (CPU time per call, memory64 / memory32; %d pairs of %d ms)%n",
                "kernel", "wasm32 µs", "wasm64 µs", "median", "p25", "p75", pairs, sliceNanos / 1_000_000);
        try (Instance i32 = engine.compile(Files.readAllBytes(dir.resolve("kernels-wasm32.wasm")))
                .instantiate(Imports.builder().build());
             Instance i64 = engine.compile(Files.readAllBytes(dir.resolve("kernels-wasm64.wasm")))
                     .instantiate(Imports.builder().build())) {
            for (String spec : kernels.split(",")) {
                String name = spec.substring(0, spec.indexOf('@'));
                int n = Integer.parseInt(spec.substring(spec.indexOf('@') + 1));
                MethodHandle run32 = Kernel.bind(i32.function(name), n);
                MethodHandle run64 = Kernel.bind(i64.function(name), n);
                int expected = (int) run32.invokeExact();
                PairedCost.Paired p = PairedCost.paired(run32, run64, r -> check(spec, expected, r),
                        r -> check(spec, expected, r), pairs, sliceNanos);
                System.out.printf("%-18s %12.1f %12.1f %8.3f %8.3f %8.3f%n", spec, p.medianA() / 1000,
                        p.medianB() / 1000, p.ratio(2), p.ratio(1), p.ratio(3));
            }
        }
    }

    private static void check(String kernel, int expected, int actual) {
        if (actual != expected) {
            throw new IllegalStateException(kernel + ": checksum " + actual + ", expected " + expected);
        }
    }
}
