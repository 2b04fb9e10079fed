package dev.isthmus.compiler.machine;

import dev.isthmus.x64.IsaExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The optional instructions the code generator may use. On this machine ({@link #host()}) they are read once with
 * {@code cpuid}, and AVX state with {@code xgetbv} (see {@link CpuId}); if that cannot run, from the kernel's summary
 * in {@code /proc/cpuinfo}. SSE and SSE2 are part of x86-64 and always present. SIMD (v128) code needs SSE4.1: a
 * module that uses SIMD is refused for features without it ({@code compiler.SimdRequirement}).
 *
 * <pre>
 *   flag    CPUID bit                          /proc/cpuinfo
 *   sse3    1.ECX[0]                           pni
 *   ssse3   1.ECX[9]                           ssse3
 *   sse41   1.ECX[19]                          sse4_1
 *   sse42   1.ECX[20]                          sse4_2
 *   popcnt  1.ECX[23]                          popcnt
 *   avx     1.ECX[28] and OSXSAVE 1.ECX[27]    avx      (and XCR0 bits 1 and 2: the OS saves xmm and ymm state)
 *   avx2    7.0.EBX[5], and avx                avx2
 *   tzcnt   7.0.EBX[3] (BMI1)                  bmi1
 *   bmi2    7.0.EBX[8]                         bmi2
 *   lzcnt   80000001.ECX[5] (ABM)              abm / lzcnt
 * </pre>
 *
 * @param lzcnt  LZCNT available (else BSR-based sequences)
 * @param tzcnt  TZCNT available, i.e. BMI1 (else BSF-based sequences)
 * @param popcnt POPCNT available (else a bit-twiddling sequence)
 * @param bmi2   BMI2 (shlx, sarx, shrx, rorx, bzhi, pdep, pext)
 * @param sse3   SSE3
 * @param ssse3  SSSE3 (pshufb, pabs*, palignr, pmulhrsw, ...)
 * @param sse41  SSE4.1 (pmovsx/zx, pblendvb, pinsr/pextr b/d/q, round*, ptest, pmulld, ...)
 * @param sse42  SSE4.2 (pcmpgtq)
 * @param avx    AVX usable: the CPU has it and the OS saves its state (VEX encodings)
 * @param avx2   AVX2 usable (vpbroadcast*, ...)
 */
public record CpuFeatures(boolean lzcnt, boolean tzcnt, boolean popcnt, boolean bmi2, boolean sse3, boolean ssse3,
                          boolean sse41, boolean sse42, boolean avx, boolean avx2) {
    /** No optional instructions (every fallback path): x86-64 with SSE2 only. */
    public static final CpuFeatures BASELINE = new CpuFeatures(false, false, false);

    private static final CpuFeatures HOST = detect();

    /** Only the bit-counting instructions as given; no SSE beyond SSE2, no AVX. */
    public CpuFeatures(boolean lzcnt, boolean tzcnt, boolean popcnt) {
        this(lzcnt, tzcnt, popcnt, false, false, false, false, false, false, false);
    }

    public CpuFeatures {
        if (avx2 && !avx) throw new IllegalArgumentException("AVX2 without AVX");
    }

    /** The features of this machine. */
    public static CpuFeatures host() {
        return HOST;
    }

    /** These features with AVX and AVX2 turned off: code uses the legacy SSE encodings only. */
    public CpuFeatures withoutAvx() {
        return new CpuFeatures(lzcnt, tzcnt, popcnt, bmi2, sse3, ssse3, sse41, sse42, false, false);
    }

    /** Whether instructions of {@code extension} may be used. */
    public boolean has(IsaExtension extension) {
        return switch (extension) {
            case SSE, SSE2 -> true;
            case SSE3 -> sse3;
            case SSSE3 -> ssse3;
            case SSE4_1 -> sse41;
            case SSE4_2 -> sse42;
            case POPCNT -> popcnt;
            case LZCNT -> lzcnt;
            case BMI1 -> tzcnt;
            case BMI2 -> bmi2;
            case AVX -> avx;
            case AVX2 -> avx2;
        };
    }

    /** The extensions these features allow, SSE and SSE2 always among them. */
    public Set<IsaExtension> extensions() {
        EnumSet<IsaExtension> set = EnumSet.noneOf(IsaExtension.class);
        for (IsaExtension e : IsaExtension.values()) if (has(e)) set.add(e);
        return set;
    }

    /** Whether every one of {@code extensions} may be used (e.g. code compiled for them runs here). */
    public boolean hasAll(Set<IsaExtension> extensions) {
        for (IsaExtension e : extensions) if (!has(e)) return false;
        return true;
    }

    /** These features without SSE4.1 and everything that builds on it (SSE4.2, AVX, AVX2): no SIMD code. */
    public CpuFeatures withoutSse41() {
        return new CpuFeatures(lzcnt, tzcnt, popcnt, bmi2, sse3, ssse3, false, false, false, false);
    }

    /** The features given by the CPUID leaves 1, 7.0, 80000001 and XCR0 (as read by {@link CpuId}). */
    static CpuFeatures fromCpuid(CpuId.Registers r) {
        int ecx1 = r.leaf1()[2];
        int ebx7 = r.leaf7()[1];
        int ecx81 = r.leaf80000001()[2];
        boolean osxsave = bit(ecx1, 27);
        boolean avx = bit(ecx1, 28) && osxsave && (r.xcr0() & 0b110) == 0b110;
        return new CpuFeatures(bit(ecx81, 5), bit(ebx7, 3), bit(ecx1, 23), bit(ebx7, 8), bit(ecx1, 0), bit(ecx1, 9),
                bit(ecx1, 19), bit(ecx1, 20), avx, avx && bit(ebx7, 5));
    }

    /** The features named by the kernel's {@code flags} line of {@code /proc/cpuinfo}. */
    public static CpuFeatures fromCpuinfoFlags(Set<String> flags) {
        boolean avx = flags.contains("avx");
        return new CpuFeatures(flags.contains("abm") || flags.contains("lzcnt"), flags.contains("bmi1"),
                flags.contains("popcnt"), flags.contains("bmi2"), flags.contains("pni"), flags.contains("ssse3"),
                flags.contains("sse4_1"), flags.contains("sse4_2"), avx, avx && flags.contains("avx2"));
    }

    private static boolean bit(int value, int bit) {
        return (value >>> bit & 1) != 0;
    }

    private static CpuFeatures detect() {
        try {
            return fromCpuid(CpuId.probe());
        } catch (Throwable e) {
            // cannot run code here (no native access?): the kernel's summary instead
        }
        return fromProcCpuinfo();
    }

    static CpuFeatures fromProcCpuinfo() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return fromCpuinfoFlags(Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: no optional instructions
        }
        return BASELINE;
    }
}
