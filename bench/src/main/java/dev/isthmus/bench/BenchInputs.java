package dev.isthmus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds the benchmarks' input files (built .wasm modules and native libraries, committed in the repository) by
 * their path relative to the repository root, e.g. {@code examples/ackermann/ackermann.wasm}:
 * <ol>
 *   <li>under the directory named by the system property {@code isthmus.home}, if set;</li>
 *   <li>under the working directory, or its parent (running from {@code bench/});</li>
 *   <li>as a resource of the benchmarks jar at the same path (copied to a temporary file when a file is needed,
 *       e.g. for a native library).</li>
 * </ol>
 */
final class BenchInputs {
    private BenchInputs() {
    }

    /** The bytes of the input at {@code relativePath}. */
    static byte[] bytes(String relativePath) {
        try {
            return Files.readAllBytes(file(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file holding the input at {@code relativePath}. */
    static Path file(String relativePath) {
        String home = System.getProperty("isthmus.home");
        Path[] roots = home != null ? new Path[] {Path.of(home)} : new Path[] {Path.of(""), Path.of("..")};
        for (Path root : roots) {
            Path candidate = root.resolve(relativePath).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        try (InputStream in = BenchInputs.class.getResourceAsStream("/" + relativePath)) {
            if (in == null) {
                throw new IllegalStateException(relativePath + " not found under " + Path.of("").toAbsolutePath()
                        + " (or its parent) nor in the jar; run from the repository root or set -Disthmus.home");
            }
            String name = Path.of(relativePath).getFileName().toString();
            Path copy = Files.createTempFile("isthmus-bench-", "-" + name);
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
