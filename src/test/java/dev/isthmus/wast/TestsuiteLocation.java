package dev.isthmus.wast;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the official test suite is: system property {@code isthmus.testsuite} (Surefire sets it from the pom),
 * else environment variable {@code ISTHMUS_TESTSUITE}, else {@code ../shared/testsuite}. A missing directory skips
 * the tests that need it, except on CI ({@code CI=true}), where it fails them.
 */
public final class TestsuiteLocation {
    private TestsuiteLocation() {}

    public static Path root() {
        String configured = System.getProperty("isthmus.testsuite");
        if (configured == null || configured.isBlank()) configured = System.getenv("ISTHMUS_TESTSUITE");
        if (configured == null || configured.isBlank()) configured = "../shared/testsuite";
        return Path.of(configured);
    }

    /** {@code root()/name}, checked to exist (see the class comment for what happens when it does not). */
    public static Path directory(String name) {
        Path dir = root().resolve(name);
        if (!Files.isDirectory(dir)) {
            String message = "test suite directory " + dir.toAbsolutePath() + " not found (set -Disthmus.testsuite or "
                    + "ISTHMUS_TESTSUITE)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(message);
            Assumptions.abort(message);
        }
        return dir;
    }
}
