package dev.isthmus.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The minimized campaign failures of {@code src/test/resources/fuzz/regressions/} under the full
 * {@link VariantMatrix}: each must agree with its reference output in every configuration, except the cases listed
 * in {@code open.txt} (bugs not fixed yet), which must still fail until the line is removed with the fix.
 */
class FuzzRegressionsTest {
    private static final VariantMatrix MATRIX = new VariantMatrix(VariantMatrix.fullMatrix(), 20_000);

    @AfterAll
    static void close() {
        MATRIX.close();
    }

    @TestFactory
    Stream<DynamicTest> everyRegressionCase() throws IOException {
        Set<String> open = open();
        return FuzzCorpus.entries("regressions").stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            VariantMatrix.Outcome outcome = MATRIX.check(entry);
            if (open.contains(entry.name())) {
                assertTrue(!outcome.ok(), entry.name() + " passes now: remove it from regressions/open.txt");
            } else if (!outcome.ok()) {
                fail(entry.name() + ".wasm: " + String.join("\n  ", outcome.problems()));
            }
        }));
    }

    private static Set<String> open() throws IOException {
        try (InputStream in = FuzzRegressionsTest.class.getResourceAsStream("/fuzz/regressions/open.txt")) {
            if (in == null) return Set.of();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")[0])
                    .collect(Collectors.toSet());
        }
    }
}
