package dev.isthmus.validate;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code assert_invalid} module of the official suite, as binary (text modules compiled by wabt's wat2wasm,
 * see {@code make-assert-invalid-corpus.py} next to the data), through the decoder and the validator: each must
 * decode, then be rejected with a reason that starts with the suite's expected message. One dynamic test per
 * suite line, named {@code file:line}.
 */
class SpecSuiteInvalidModulesTest {

    @TestFactory
    List<DynamicTest> wasm20AssertInvalid() throws IOException {
        return fromCorpus("wasm-2.0-assert-invalid.tsv", 2141);
    }

    @TestFactory
    List<DynamicTest> wasm30TailCallAssertInvalid() throws IOException {
        return fromCorpus("wasm-3.0-tail-call-assert-invalid.tsv", 27);
    }

    private List<DynamicTest> fromCorpus(String resource, int expectedCount) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] columns = line.split("\t");
                String where = columns[0];
                String expected = columns[1];
                byte[] wasm = HexFormat.of().parseHex(columns[2]);
                tests.add(DynamicTest.dynamicTest(where + " " + expected, () -> rejects(wasm, expected)));
            }
        }
        assertTrue(tests.size() == expectedCount, resource + " has " + tests.size() + " rows");
        return tests;
    }

    private static void rejects(byte[] wasm, String expected) {
        // both corpora are rejected by the 2.0 rules (the tail calls are accepted under them)
        WasmModule module = ModuleDecoder.decode(wasm, WasmVersion.V2_0);
        ValidationException e = assertThrows(ValidationException.class,
                () -> Validator.validate(module, WasmVersion.V2_0));
        assertTrue(e.reason().startsWith(expected), () -> "expected \"" + expected + "\", got \"" + e.getMessage() + "\"");
    }
}
