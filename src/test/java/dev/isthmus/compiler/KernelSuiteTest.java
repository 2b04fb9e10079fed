package dev.isthmus.compiler;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import dev.isthmus.wasi.Wasi;
import dev.isthmus.wasi.WasiOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every kernel of the benchmark suite ({@code bench/kernels/}: C built by clang-14 -O3 for wasm32-wasi, the .wasm
 * committed) runs under both tiers at its small test size and returns the checksum gcc -O3 native computed
 * ({@code bench/kernels/expected.tsv}, written by {@code bench/kernels/build.sh}). Needs no clang and no native build.
 */
public class KernelSuiteTest {
    private static final Path DIR = Path.of("bench/kernels");

    /** A kernel at its test size with gcc's checksum there (also the kernel list of the code-file tests). */
    public record Kernel(String name, int testSize, int expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Kernel> kernels() throws IOException {
        Map<String, Integer> sums = new HashMap<>();
        for (String[] row : rows("expected.tsv")) sums.put(row[0] + " " + row[1], Integer.parseUnsignedInt(row[2]));
        List<Kernel> kernels = new ArrayList<>();
        for (String[] row : rows("kernels.tsv")) {
            Integer sum = sums.get(row[0] + " " + row[1]);
            assertNotNull(sum, row[0] + ": no expected checksum for its test size " + row[1]);
            kernels.add(new Kernel(row[0], Integer.parseInt(row[1]), sum));
        }
        return kernels;
    }

    private static List<String[]> rows(String file) throws IOException {
        return Files.readAllLines(DIR.resolve(file)).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t")).toList();
    }

    static Stream<Arguments> kernelsAndTiers() throws IOException {
        List<Kernel> kernels = kernels();
        assertFalse(kernels.size() < 16, "the suite has at least 16 kernels");
        return kernels.stream().flatMap(k -> Stream.of(Tier.OPTIMIZING, Tier.BASELINE).map(t -> Arguments.of(k, t)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelsAndTiers")
    void runReturnsTheNativeChecksum(Kernel kernel, Tier tier) throws Throwable {
        byte[] wasm = Files.readAllBytes(DIR.resolve("wasm/" + kernel.name() + ".wasm"));
        Isthmus engine = Isthmus.builder().tier(tier).build();
        try (Wasi wasi = new Wasi(WasiOptions.builder().stdout(OutputStream.nullOutputStream()).build())) {
            Instance instance = engine.compile(wasm).instantiate(wasi.addTo(Imports.builder()).build());
            try {
                wasi.bind(instance);
                Object[] first = instance.call("run", kernel.testSize());
                assertEquals(Integer.toUnsignedString(kernel.expected()), Integer.toUnsignedString((Integer) first[0]),
                        kernel.name() + "(" + kernel.testSize() + ") under the " + tier + " tier");
                Object[] second = instance.call("run", kernel.testSize());
                assertEquals(first[0], second[0], kernel.name() + ": run is repeatable");
            } finally {
                instance.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void commandPrintsTheNativeChecksum(Kernel kernel) throws Throwable {
        byte[] wasm = Files.readAllBytes(DIR.resolve("wasm/" + kernel.name() + ".wasm"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Wasi wasi = new Wasi(WasiOptions.builder().arg(kernel.name()).arg(Integer.toString(kernel.testSize()))
                .stdout(out).build())) {
            Instance instance = Isthmus.create().compile(wasm).instantiate(wasi.addTo(Imports.builder()).build());
            try {
                assertEquals(0, wasi.run(instance));
            } finally {
                instance.close();
            }
        }
        String base = kernel.name().replaceFirst("-(bulk|simd)$", "");
        assertEquals(base + " " + kernel.testSize() + " " + Integer.toUnsignedString(kernel.expected()) + "\n",
                out.toString(StandardCharsets.UTF_8));
    }
}
