package dev.isthmus.runtime.loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The process's perf map, {@code /tmp/perf-PID.map}: one line per wasm function of every module loaded while it is
 * on, so that {@code perf report} (and other profilers that read perf maps) names samples in wasm code:
 *
 * <pre>
 *   START SIZE NAME          hexadecimal start address and size, no 0x; the name section's name of the function,
 *   7f3a1c2e4040 5c fib      else "wasm-function[INDEX]" (the index in the module's function index space)
 * </pre>
 * Lines are appended, never rewritten: perf reads the last entry covering an address, so code mapped again at an
 * address of unmapped code is named right. Off by default; on for the whole process once {@link #enable()} ran
 * ({@code Isthmus.Builder.perfMap(true)}, {@code isthmus run --profile=perfmap}) or with the system property
 * {@code isthmus.perfMap=true}. The JVM's own {@code -XX:+DumpPerfMapAtExit} rewrites the same file at exit: use
 * {@code jcmd PID Compiler.perfmap} while the process runs instead, which HotSpot appends to the same file.
 */
public final class PerfMap {
    private PerfMap() {
    }

    private static volatile boolean enabled = Boolean.getBoolean("isthmus.perfMap");

    /** Lists every module loaded from now on in the process's perf map. */
    public static void enable() {
        enabled = true;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** The file: {@code /tmp/perf-PID.map}. */
    public static Path file() {
        return Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
    }

    /** Appends {@code lines} (each ending with a newline) to the file in one write. */
    static synchronized void append(CharSequence lines) {
        try {
            Files.writeString(file(), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the perf map " + file(), e);
        }
    }

    /** One line: {@code START SIZE NAME}. */
    static String line(long start, long size, String name) {
        return Long.toHexString(start) + " " + Long.toHexString(size) + " " + name.replace('\n', ' ') + "\n";
    }
}
