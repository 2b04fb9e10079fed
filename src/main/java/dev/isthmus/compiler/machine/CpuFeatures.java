package dev.isthmus.compiler.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The optional instructions the code generator may use, read once from the kernel's CPUID summary
 * ({@code /proc/cpuinfo} flags): LZCNT (flag {@code abm}), TZCNT ({@code bmi1}) and POPCNT.
 *
 * @param lzcnt  LZCNT available (else BSR-based sequences)
 * @param tzcnt  TZCNT available (else BSF-based sequences)
 * @param popcnt POPCNT available (else a bit-twiddling sequence)
 */
public record CpuFeatures(boolean lzcnt, boolean tzcnt, boolean popcnt) {
    /** No optional instructions (every fallback path). */
    public static final CpuFeatures BASELINE = new CpuFeatures(false, false, false);

    private static final CpuFeatures HOST = detect();

    /** The features of this machine. */
    public static CpuFeatures host() {
        return HOST;
    }

    private static CpuFeatures detect() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return new CpuFeatures(flags.contains("abm") || flags.contains("lzcnt"),
                            flags.contains("bmi1"), flags.contains("popcnt"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: no optional instructions
        }
        return BASELINE;
    }
}
