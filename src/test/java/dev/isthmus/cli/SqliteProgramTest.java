package dev.isthmus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real program, SQLite 3.54.1 built for WASI ({@code examples/sqlite}, 931 KB of code), run by {@code isthmus
 * run} compiled eagerly (both tiers), lazily and tiered (its hot functions recompiled by the optimizing tier while
 * it runs): its output is node/V8's ({@code expected-300.txt}).
 */
class SqliteProgramTest {
    private static final String MODULE = "examples/sqlite/sqlbench.wasm";

    @ParameterizedTest
    @ValueSource(strings = {"eager", "eager baseline", "lazy", "tiered"})
    void sqliteGivesNodesOutput(String mode) throws IOException {
        String expected = Files.readString(Path.of("examples/sqlite/expected-300.txt"), StandardCharsets.UTF_8);
        String[] args = mode.equals("eager baseline")
                ? new String[] {"run", "--no-cache", "--compile", "eager", "--tier", "baseline", MODULE, "300"}
                : new String[] {"run", "--no-cache", "--compile", mode, MODULE, "300"};
        assertEquals(new CliRun.Result(0, expected, ""), CliRun.run(args), mode);
    }
}
