package dev.isthmus.compiler.machine;

import dev.isthmus.x64.IsaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** CPU feature detection: cpuid/xgetbv agree with the kernel's flags on this machine; the flag logic; the AVX switch. */
class CpuFeaturesTest {
    @TempDir
    Path temp;

    /** The stubs run in a child JVM first (a mistake there must not kill the test JVM). */
    @Test
    void cpuidInAChildJvmAgreesWithProcCpuinfo() throws Exception {
        Path output = temp.resolve("child.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=" + temp.resolve("hs_err_%p.log"),
                "-cp", System.getProperty("java.class.path"), CpuFeaturesChild.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("the child JVM did not finish");
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), () -> "child JVM failed:\n" + String.join("\n", lines));
        String detected = lines.stream().filter(l -> l.startsWith(CpuFeaturesChild.PREFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the child:\n" + lines))
                .substring(CpuFeaturesChild.PREFIX.length());
        System.out.println("cpu features (cpuid): " + detected + "; " + String.join("; ", lines));
        assertEquals(expected(lines).toString(), detected);
        assertEquals(expected(lines), CpuFeatures.host(), "host() in this JVM");
    }

    /**
     * The kernel's flags; except LZCNT, which some kernels (e.g. this sandbox's guest kernel) leave out of the list
     * although the CPU has it: there the child's execution of lzcnt decides.
     */
    private static CpuFeatures expected(List<String> childLines) throws Exception {
        CpuFeatures kernel = CpuFeatures.fromCpuinfoFlags(cpuinfoFlags());
        boolean lzcntRuns = childLines.contains(CpuFeaturesChild.LZCNT + 31);
        if (kernel.lzcnt() || !lzcntRuns) return kernel;
        System.out.println("cpu features: /proc/cpuinfo lacks abm/lzcnt, but lzcnt(1) = 31 here: LZCNT present");
        return new CpuFeatures(true, kernel.tzcnt(), kernel.popcnt(), kernel.bmi2(), kernel.sse3(), kernel.ssse3(),
                kernel.sse41(), kernel.sse42(), kernel.avx(), kernel.avx2());
    }

    @Test
    void avxNeedsTheOsToSaveYmmState() {
        int ecx1 = 1 << 28 | 1 << 27 | 1 << 19 | 1 << 23;   // AVX, OSXSAVE, SSE4.1, POPCNT
        int ebx7 = 1 << 5 | 1 << 3;                         // AVX2, BMI1
        CpuFeatures enabled = CpuFeatures.fromCpuid(registers(ecx1, ebx7, 1 << 5, 0b111));
        assertTrue(enabled.avx() && enabled.avx2() && enabled.sse41() && enabled.popcnt() && enabled.tzcnt()
                && enabled.lzcnt());
        assertFalse(enabled.sse42() || enabled.ssse3() || enabled.bmi2());
        CpuFeatures noYmm = CpuFeatures.fromCpuid(registers(ecx1, ebx7, 0, 0b011));
        assertFalse(noYmm.avx() || noYmm.avx2() || noYmm.lzcnt());
        assertTrue(noYmm.sse41());
        CpuFeatures noOsxsave = CpuFeatures.fromCpuid(registers(ecx1 & ~(1 << 27), ebx7, 0, 0b111));
        assertFalse(noOsxsave.avx() || noOsxsave.avx2());
    }

    @Test
    void withoutAvxKeepsEverythingElse() {
        CpuFeatures all = new CpuFeatures(true, true, true, true, true, true, true, true, true, true);
        CpuFeatures noAvx = all.withoutAvx();
        assertFalse(noAvx.has(IsaExtension.AVX) || noAvx.has(IsaExtension.AVX2));
        for (IsaExtension e : IsaExtension.values()) {
            if (e != IsaExtension.AVX && e != IsaExtension.AVX2) assertTrue(noAvx.has(e), e.name());
            assertTrue(all.has(e), e.name());
        }
        assertTrue(CpuFeatures.BASELINE.has(IsaExtension.SSE2));
        assertFalse(CpuFeatures.BASELINE.has(IsaExtension.SSE4_1));
        assertThrows(IllegalArgumentException.class,
                () -> new CpuFeatures(false, false, false, false, false, false, false, false, false, true));
    }

    private static CpuId.Registers registers(int ecx1, int ebx7, int ecx81, long xcr0) {
        return new CpuId.Registers(new int[]{7, 0, 0, 0}, new int[]{0, 0, ecx1, 0}, new int[]{0, ebx7, 0, 0},
                new int[]{0, 0, ecx81, 0}, xcr0);
    }

    private static Set<String> cpuinfoFlags() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("flags")) return Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
        }
        throw new AssertionError("no flags line in /proc/cpuinfo");
    }
}
