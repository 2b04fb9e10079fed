package dev.isthmus.validate;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official suite's modules as the project itself reads them (WAST parser, text parser, binary decoder), judged
 * by the validator:
 * <ul>
 * <li>wasm-2.0: every {@code assert_invalid} module is rejected with the expected message, and every module that a
 *     script defines, links or instantiates is valid;</li>
 * <li>wasm-3.0 {@code return_call*} and relaxed SIMD: the same for the tail calls and the relaxed SIMD instructions,
 *     the 3.0 features the validator accepts;</li>
 * <li>wasm-3.0, all of it: whatever the front end makes of a module, it ends in a verdict (a
 *     {@link ModuleRejection}), never in any other exception (proposal features may be rejected).</li>
 * </ul>
 * The suite is found at {@code -Disthmus.testsuite}, {@code $ISTHMUS_TESTSUITE} or {@code ../shared/testsuite}.
 */
class SpecSuiteTextModulesTest {
    /** The rules of the suite whose tests are being made (factories run one after the other). */
    private static WasmVersion version = WasmVersion.V3_0;

    @TestFactory
    Stream<DynamicContainer> wasm20() throws IOException {
        return perFile(suite("wasm-2.0"), "*.wast", true);
    }

    @TestFactory
    Stream<DynamicContainer> wasm30TailCalls() throws IOException {
        return perFile(suite("wasm-3.0"), "return_call{,_indirect}.wast", true);
    }

    @TestFactory
    Stream<DynamicContainer> wasm30RelaxedSimd() throws IOException {
        return perFile(suite("wasm-3.0"), "{relaxed_*,*_relaxed_*}.wast", true);
    }

    /** The multiple-memory scripts (those SpecSuiteTest's wasm-3.0-multi-memory ratchet runs). */
    @TestFactory
    Stream<DynamicContainer> wasm30MultiMemory() throws IOException {
        return perFile(suite("wasm-3.0"), "{" + String.join(",", dev.isthmus.wast.MultiMemoryScripts.FILES.stream()
                .map(f -> f.substring(0, f.length() - ".wast".length())).toList()) + "}.wast", true);
    }

    /**
     * The memory64 and table64 scripts (those SpecSuiteTest's wasm-3.0-memory64 ratchet runs) but
     * {@code table_init64.wast}, one of whose modules needs GC's array types.
     */
    @TestFactory
    Stream<DynamicContainer> wasm30Memory64() throws IOException {
        return perFile(suite("wasm-3.0"), "{" + String.join(",", dev.isthmus.wast.Memory64Scripts.FILES.stream()
                .filter(f -> !f.equals("table_init64.wast"))
                .map(f -> f.substring(0, f.length() - ".wast".length())).toList()) + "}.wast", true);
    }

    @TestFactory
    Stream<DynamicContainer> wasm30EndsInAVerdict() throws IOException {
        return perFile(suite("wasm-3.0"), "*.wast", false);
    }

    private static Stream<DynamicContainer> perFile(Path dir, String glob, boolean strict) throws IOException {
        // the 2.0 suite is checked against the 2.0 rules (see WasmVersion), the 3.0 scripts against 3.0's
        version = dir.getFileName().toString().startsWith("wasm-2") ? WasmVersion.V2_0 : WasmVersion.V3_0;
        List<Path> files = new ArrayList<>();
        try (var listing = Files.newDirectoryStream(dir, glob)) {
            listing.forEach(files::add);
        }
        files.sort(null);
        assertTrue(!files.isEmpty(), "no " + glob + " in " + dir);
        List<DynamicContainer> containers = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<DynamicTest> tests = new ArrayList<>();
            for (WastCommand command : WastParser.parse(Files.readString(file), name)) {
                DynamicTest test = strict ? strictTest(name, command) : verdictTest(name, command);
                if (test != null) tests.add(test);
            }
            if (!tests.isEmpty()) containers.add(DynamicContainer.dynamicContainer(name, tests));
        }
        return containers.stream();
    }

    /** assert_invalid: rejected with the message; defined, unlinkable, uninstantiable, trapping modules: valid. */
    private static DynamicTest strictTest(String file, WastCommand command) {
        return switch (command) {
            case WastCommand.AssertInvalid c -> DynamicTest.dynamicTest(file + ":" + c.line() + " invalid: " + c.message(),
                    rejectsWith(c.module(), c.message()));
            case WastCommand.ModuleCommand c -> valid(file, c.line(), c.source());
            case WastCommand.ModuleDefinition c -> valid(file, c.line(), c.source());
            case WastCommand.AssertUnlinkable c -> valid(file, c.line(), c.module());
            case WastCommand.AssertUninstantiable c -> valid(file, c.line(), c.module());
            case WastCommand.AssertModuleTrap c -> valid(file, c.line(), c.module());
            default -> null;
        };
    }

    private static DynamicTest valid(String file, int line, ModuleSource source) {
        WasmVersion v = version;
        return DynamicTest.dynamicTest(file + ":" + line + " valid", () -> {
            WasmModule module = ModuleDecoder.decode(bytes(source), v);
            assertDoesNotThrow(() -> Validator.validate(module, v));
        });
    }

    private static void rejects(ModuleSource source, String expected, WasmVersion v) {
        WasmModule module = ModuleDecoder.decode(bytes(source), v);
        ValidationException e = assertThrows(ValidationException.class, () -> Validator.validate(module, v));
        assertTrue(e.reason().startsWith(expected), () -> "expected \"" + expected + "\", got \"" + e.getMessage() + "\"");
    }

    private static org.junit.jupiter.api.function.Executable rejectsWith(ModuleSource source, String expected) {
        WasmVersion v = version;
        return () -> rejects(source, expected, v);
    }

    /** Any module-carrying command: the front end and the validator end in a verdict or a syntax error. */
    private static DynamicTest verdictTest(String file, WastCommand command) {
        ModuleSource source = switch (command) {
            case WastCommand.AssertInvalid c -> c.module();
            case WastCommand.AssertMalformed c -> c.module();
            case WastCommand.ModuleCommand c -> c.source();
            case WastCommand.ModuleDefinition c -> c.source();
            case WastCommand.AssertUnlinkable c -> c.module();
            case WastCommand.AssertUninstantiable c -> c.module();
            case WastCommand.AssertModuleTrap c -> c.module();
            default -> null;
        };
        if (source == null) return null;
        int line = line(command);
        WasmVersion v = version;
        return DynamicTest.dynamicTest(file + ":" + line + " verdict", () -> {
            try {
                Validator.validate(ModuleDecoder.decode(bytes(source), v), v);
            } catch (ModuleRejection expected) {
                // a verdict: malformed (text the parser rejects included) or invalid
            } catch (Throwable t) {
                fail("no verdict for " + file + ":" + line, t);
            }
        });
    }

    private static int line(WastCommand command) {
        return switch (command) {
            case WastCommand.AssertInvalid c -> c.line();
            case WastCommand.AssertMalformed c -> c.line();
            case WastCommand.ModuleCommand c -> c.line();
            case WastCommand.ModuleDefinition c -> c.line();
            case WastCommand.AssertUnlinkable c -> c.line();
            case WastCommand.AssertUninstantiable c -> c.line();
            case WastCommand.AssertModuleTrap c -> c.line();
            default -> -1;
        };
    }

    private static byte[] bytes(ModuleSource source) {
        return switch (source) {
            case ModuleSource.Binary b -> b.bytes();
            case ModuleSource.Text t -> Wat.toBinary(t.watText());
            case ModuleSource.Quote q -> Wat.toBinary(q.asModuleText());
        };
    }

    private static Path suite(String name) {
        String configured = System.getProperty("isthmus.testsuite");
        if (configured == null || configured.isBlank()) configured = System.getenv("ISTHMUS_TESTSUITE");
        if (configured == null || configured.isBlank()) configured = "../shared/testsuite";
        Path dir = Path.of(configured, name);
        assertTrue(Files.isDirectory(dir), "test suite not found at " + dir.toAbsolutePath()
                + " (set -Disthmus.testsuite or ISTHMUS_TESTSUITE)");
        return dir;
    }
}
