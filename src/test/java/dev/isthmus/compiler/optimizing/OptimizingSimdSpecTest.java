package dev.isthmus.compiler.optimizing;

import dev.isthmus.compiler.WastChildRun;
import dev.isthmus.wast.TestsuiteLocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD spec scripts (wasm-2.0 {@code simd_*.wast}, wasm-3.0 relaxed SIMD) at the optimizing tier, strictly
 * ({@code -Disthmus.tier.strict=true}: an internal error of the tier fails the command instead of falling back), with
 * AVX and without, through {@code isthmus wast} in child JVMs, differentially: per file, the optimizing tier must
 * pass every command the baseline tier passes (both use the same SIMD lowerings, so a difference is an error of the
 * optimizing tier: register allocation, spills, moves, phis, calls). While a family of SIMD instructions has no
 * lowering yet, both tiers fail its commands alike; {@code OptimizingFallbackTest} checks that the optimizing tier
 * compiles the SIMD functions itself instead of declining them.
 */
class OptimizingSimdSpecTest {

    @ParameterizedTest(name = "avx={0}")
    @ValueSource(booleans = {true, false})
    void simdScriptsPassAtTheOptimizingTierAsAtTheBaseline(boolean avx) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(TestsuiteLocation.directory("wasm-2.0"))) {
            s.filter(p -> name(p).startsWith("simd_") && name(p).endsWith(".wast")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 50, "expected the simd_*.wast scripts, found " + files.size());
        try (Stream<Path> s = Files.list(TestsuiteLocation.directory("wasm-3.0"))) {
            s.filter(p -> name(p).contains("relaxed") && name(p).endsWith(".wast")).sorted().forEach(files::add);
        }
        Map<String, int[]> optimizing = WastChildRun.run("OPTIMIZING", avx, files);
        Map<String, int[]> baseline = WastChildRun.run("BASELINE", avx, files);
        String mode = avx ? "avx" : "sse";
        List<String> problems = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        StringBuilder table = new StringBuilder();
        for (var e : optimizing.entrySet()) {
            int[] o = e.getValue();
            int[] b = baseline.getOrDefault(e.getKey(), new int[3]);
            passed += o[0];
            failed += o[1];
            table.append(String.format("[simd-optimizing %s] %-40s passed %5d  failed %5d (baseline %5d, %5d)%n",
                    mode, e.getKey(), o[0], o[1], b[0], b[1]));
            if (o[0] < b[0] || o[1] > b[1]) {
                problems.add(e.getKey() + ": optimizing passed " + o[0] + ", failed " + o[1] + "; baseline passed "
                        + b[0] + ", failed " + b[1]);
            }
        }
        table.append(String.format("[simd-optimizing %s] total passed %d, failed %d%n", mode, passed, failed));
        System.out.print(table);
        if (!problems.isEmpty()) fail("the optimizing tier is worse than the baseline (" + mode + "):\n  "
                + String.join("\n  ", problems));
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
