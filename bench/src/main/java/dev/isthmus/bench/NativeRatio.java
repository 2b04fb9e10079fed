package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.CompilerOptions;

import java.lang.invoke.MethodHandle;

/**
 * Kernels of {@code bench/kernels} under Isthmus against their native build, as the ratio of CPU time per call
 * (Isthmus / native) in alternating slices in one JVM ({@link PairedCost#paired}): on a loaded machine, wall time
 * counts the time a side spends descheduled, CPU time does not, so these ratios hold still where JMH's wall-clock
 * ratios of {@link KernelBenchmark} and {@link SimdKernelBenchmark} scatter.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.NativeRatio \
 *       [pairs] [ms] KERNEL[@SIDE][,KERNEL[@SIDE]...]
 * </pre>
 * {@code KERNEL} is a row of {@code kernels.tsv} (e.g. {@code dot16-simd}), {@code SIDE} a native build directory of
 * {@code bench/kernels/build} (default {@code gcc}; the SIMD kernels compare with {@code gcc-v2}); Isthmus runs with
 * the default options, or without AVX when the kernel is written {@code KERNEL!noavx}. Defaults: 20 pairs of
 * 200 ms slices. Run from the repository root after {@code bench/kernels/build.sh --native}.
 */
public final class NativeRatio {
    private NativeRatio() {
    }

    public static void main(String[] args) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1_000_000L;
        String kernels = args.length > 2 ? args[2] : "dot16-simd@gcc-v2,blend-simd@gcc-v2,matmulf-simd@gcc-v2";
        System.out.printf("%-24s %10s %10s %8s %8s %8s   (CPU time per call, isthmus / native; %d pairs of %d ms)%n",
                "kernel", "native µs", "isthmus µs", "median", "p25", "p75", pairs, sliceNanos / 1_000_000);
        for (String spec : kernels.split(",")) {
            String name = spec.trim();
            boolean avx = !name.endsWith("!noavx");
            if (!avx) name = name.substring(0, name.length() - "!noavx".length());
            String side = "gcc";
            int at = name.indexOf('@');
            if (at >= 0) {
                side = name.substring(at + 1);
                name = name.substring(0, at);
            }
            Kernel k = Kernel.of(name);
            String nativeSide = side;
            MethodHandle nativeRun = k.nativeHandle(side);
            try (Instance instance = k.instantiate(Isthmus.builder()
                    .compilerOptions(CompilerOptions.DEFAULT.withAvx(avx)).build())) {
                MethodHandle wasmRun = Kernel.bind(instance.function("run"), k.benchSize());
                PairedCost.Paired p = PairedCost.paired(nativeRun, wasmRun,
                        r -> k.check(nativeSide, k.benchSize(), r), r -> k.check("isthmus", k.benchSize(), r),
                        pairs, sliceNanos);
                System.out.printf("%-24s %10.1f %10.1f %8.3f %8.3f %8.3f%n", spec.trim(), p.medianA() / 1000,
                        p.medianB() / 1000, p.ratio(2), p.ratio(1), p.ratio(3));
            }
        }
    }
}
