package dev.isthmus.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * C programs built with {@code clang -O3 -msimd128} (the SIMD kernels of bench/kernels, some with wasm_simd128.h
 * intrinsics) run with {@code isthmus run} and print what the same C prints natively (the checksum in
 * bench/kernels/expected.tsv, written from gcc -O3), with AVX and without, in both tiers.
 */
class SimdProgramTest {
    @ParameterizedTest
    @CsvSource({
            "bytesearch, -Chas-avx=y, optimizing", "bytesearch, -Chas-avx=n, baseline",
            "hex, -Chas-avx=y, baseline", "hex, -Chas-avx=n, optimizing",
            "matmul4, -Chas-avx=y, optimizing", "matmul4, -Chas-avx=n, optimizing",
            "blend, -Chas-avx=n, baseline", "dot16, -Chas-avx=y, optimizing"})
    void printsWhatNativePrints(String kernel, String avx, String tier) throws IOException {
        Path dir = Path.of("bench/kernels");
        int n = 0;
        String expected = null;
        for (String line : Files.readAllLines(dir.resolve("kernels.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals(kernel + "-simd")) n = Integer.parseInt(f[1]);
        }
        for (String line : Files.readAllLines(dir.resolve("expected.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals(kernel + "-simd") && Integer.parseInt(f[1]) == n) expected = f[2];
        }
        CliRun.Result r = CliRun.run("run", avx, "--tier", tier, dir.resolve("wasm/" + kernel + "-simd.wasm").toString(),
                Integer.toString(n));
        assertEquals(0, r.status(), r.err());
        assertEquals(kernel + " " + n + " " + expected + "\n", r.out());
    }
}
