package dev.isthmus.x64;

import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden rows ({@link GoldenRows}): our bytes must equal the bytes GNU as produced for the same instruction
 * ({@code x64/golden.expected}), and Zydis must decode them as exactly one instruction with the row's text.
 */
class GoldenTest {

    @Test
    void bytesMatchGnuAsAndTextMatchesZydis() throws IOException {
        List<String[]> expected = loadExpected();
        List<GoldenRows.Row> rows = new ArrayList<>(GoldenRows.ROWS);
        rows.addAll(SimdGoldenRows.ROWS);
        assertEquals(rows.size(), expected.size(),
                "golden.expected is stale: run src/test/resources/x64/generate-golden.sh");
        HexFormat hex = HexFormat.ofDelimiter(" ");
        List<String> failures = new ArrayList<>();
        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            for (int i = 0; i < rows.size(); i++) {
                GoldenRows.Row row = rows.get(i);
                assertEquals(row.gasSource(), expected.get(i)[0],
                        "golden.expected is stale at row " + i + ": run src/test/resources/x64/generate-golden.sh");
                Assembler asm = new Assembler();
                row.emit().accept(asm);
                byte[] ours = asm.finish();
                String oursHex = hex.formatHex(ours);
                if (!oursHex.equals(expected.get(i)[1])) {
                    failures.add(String.format("%-45s GNU as: %-30s ours: %s", row.gasSource(), expected.get(i)[1], oursHex));
                    continue;
                }
                Disassembler.Decoded decoded = zydis.decodeOne(ours, 0, 0);
                if (decoded.length() != ours.length
                        || !IntelSyntax.normalize(decoded.text()).equals(IntelSyntax.normalize(row.zydisText()))) {
                    failures.add(String.format("%-45s Zydis: %s (%d of %d bytes)", row.zydisText(), decoded.text(),
                            decoded.length(), ours.length));
                }
            }
        }
        System.out.printf("x64 golden: %d rows checked against GNU as bytes and Zydis text, %d failures%n",
                rows.size(), failures.size());
        if (!failures.isEmpty()) fail(failures.size() + " golden rows differ:\n" + String.join("\n", failures));
    }

    private static List<String[]> loadExpected() throws IOException {
        try (InputStream in = GoldenTest.class.getResourceAsStream("/x64/golden.expected")) {
            assertNotNull(in, "x64/golden.expected missing from the test resources");
            List<String[]> result = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\t");
                if (parts.length != 2) throw new IOException("bad golden line: " + line);
                result.add(parts);
            }
            return result;
        }
    }
}
