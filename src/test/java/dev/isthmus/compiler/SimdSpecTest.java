package dev.isthmus.compiler;

import dev.isthmus.wast.TestsuiteLocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wasm-2.0 SIMD spec scripts ({@code simd_*.wast}) at the baseline tier, strictly (no other tier, no fallback),
 * with AVX and without ({@code -Disthmus.avx=false}: SSE encodings only), through {@code isthmus wast} in a child
 * JVM (a miscompiled SIMD sequence must not take this JVM down). Passed and failed commands per file and mode are
 * compared with the committed ratchet {@code src/test/resources/conformance/simd-baseline.txt}
 * ({@code MODE<tab>FILE<tab>PASSED<tab>FAILED} per line): fewer passed or more failed than the file allows fails (a
 * regression); more passed or fewer failed fails too, asking to update the ratchet, so it only moves forward.
 * {@code -Disthmus.ratchet.update=true} rewrites the lines of the modes run with the current counts.
 */
class SimdSpecTest {
    private static final Path RATCHET = Path.of("src/test/resources/conformance/simd-baseline.txt");

    @ParameterizedTest(name = "avx={0}")
    @ValueSource(booleans = {true, false})
    void simdScriptsAtTheBaselineTier(boolean avx) throws Exception {
        String mode = avx ? "avx" : "sse";
        List<Path> files;
        try (Stream<Path> s = Files.list(TestsuiteLocation.directory("wasm-2.0"))) {
            files = s.filter(p -> p.getFileName().toString().startsWith("simd_")
                    && p.getFileName().toString().endsWith(".wast")).sorted().toList();
        }
        assertTrue(files.size() >= 50, "expected the simd_*.wast scripts, found " + files.size());
        Map<String, int[]> counts = WastChildRun.run("BASELINE", avx, files);
        StringBuilder table = new StringBuilder();
        int passed = 0;
        int failed = 0;
        for (var e : counts.entrySet()) {
            int[] c = e.getValue();
            passed += c[0];
            failed += c[1];
            table.append(String.format("[simd-baseline %s] %-40s passed %5d  failed %5d  skipped %5d%n", mode,
                    e.getKey(), c[0], c[1], c[2]));
        }
        table.append(String.format("[simd-baseline %s] total passed %d, failed %d%n", mode, passed, failed));
        System.out.print(table);

        Map<String, int[]> ratchet = load();
        if (Boolean.getBoolean("isthmus.ratchet.update")) {
            ratchet.keySet().removeIf(k -> k.startsWith(mode + "\t"));
            counts.forEach((file, c) -> ratchet.put(mode + "\t" + file, new int[] {c[0], c[1]}));
            StringBuilder b = new StringBuilder("# The wasm-2.0 simd_*.wast scripts at the baseline tier (strict), "
                    + "MODE<tab>FILE<tab>PASSED<tab>FAILED;\n# avx: with AVX, sse: -Disthmus.avx=false. Only moves "
                    + "forward (SimdSpecTest; -Disthmus.ratchet.update=true rewrites it).\n");
            ratchet.forEach((k, c) -> b.append(k).append('\t').append(c[0]).append('\t').append(c[1]).append('\n'));
            Files.writeString(RATCHET, b.toString(), StandardCharsets.UTF_8);
            System.out.println("[simd-baseline] ratchet rewritten: " + RATCHET);
            return;
        }
        List<String> problems = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        counts.keySet().forEach(f -> keys.add(mode + "\t" + f));
        ratchet.keySet().stream().filter(k -> k.startsWith(mode + "\t")).forEach(keys::add);
        for (String key : keys) {
            int[] now = counts.getOrDefault(key.substring(mode.length() + 1), new int[3]);
            int[] allowed = ratchet.getOrDefault(key, new int[2]);
            String what = key.replace('\t', ' ');
            if (now[0] < allowed[0] || now[1] > allowed[1]) {
                problems.add(what + ": passed " + now[0] + ", failed " + now[1] + " (ratchet: passed " + allowed[0]
                        + ", failed " + allowed[1] + ")");
            } else if (now[0] > allowed[0] || now[1] < allowed[1]) {
                problems.add(what + ": better than the ratchet (passed " + now[0] + ", failed " + now[1]
                        + "; ratchet " + allowed[0] + ", " + allowed[1] + "): -Disthmus.ratchet.update=true rewrites "
                        + RATCHET);
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    private static Map<String, int[]> load() throws IOException {
        Map<String, int[]> m = new TreeMap<>();
        if (!Files.isRegularFile(RATCHET)) return m;
        for (String line : Files.readAllLines(RATCHET, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            m.put(f[0] + "\t" + f[1], new int[] {Integer.parseInt(f[2].strip()), Integer.parseInt(f[3].strip())});
        }
        return m;
    }
}
