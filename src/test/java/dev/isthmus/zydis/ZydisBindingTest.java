package dev.isthmus.zydis;

import dev.isthmus.explore.Disassembler;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written binding against the real library: version, struct sizes and field offsets (against the C
 * compiler's view of the installed headers when gcc and the headers are present), and a decode.
 */
class ZydisBindingTest {

    @Test
    void versionAndLayoutsMatchZydis4() {
        ZydisSupport.openOrSkip().close();
        assertEquals(4, Disassembler.libraryVersion() >>> 48, "major version");
        assertEquals(20, ZydisDecoder.sizeof());
        assertEquals(328, ZydisDecodedInstruction.sizeof());
        assertEquals(8, ZydisDecodedInstruction.layout().byteAlignment());
        assertEquals(80, ZydisDecodedOperand.sizeof());
        assertEquals(584, ZydisFormatter.sizeof());
        assertEquals(4, ZydisDecodedInstruction.mnemonic$offset());
        assertEquals(8, ZydisDecodedInstruction.length$offset());
        assertEquals(24, ZydisDecodedInstruction.operand_count$offset());
        assertEquals(25, ZydisDecodedInstruction.operand_count_visible$offset());
        assertEquals(32, ZydisDecodedOperand.type$offset());
    }

    /** Compiles a probe against /usr/include/Zydis and compares every offset the binding relies on. */
    @Test
    void layoutsAgreeWithTheInstalledHeaders() throws IOException, InterruptedException {
        Path header = Path.of("/usr/include/Zydis/Zydis.h");
        if (!Files.exists(header) || !onPath("gcc")) {
            System.out.println("ZydisBindingTest: no gcc or Zydis headers, header cross-check not run");
            return;
        }
        Path dir = Files.createTempDirectory("zydis-probe");
        Path source = dir.resolve("probe.c");
        Files.writeString(source, """
                #include <Zydis/Zydis.h>
                #include <stdio.h>
                #include <stddef.h>
                #define S(t) printf(#t " %zu %zu\\n", sizeof(t), _Alignof(t))
                #define O(t, f) printf(#t "." #f " %zu\\n", offsetof(t, f))
                int main(void) {
                    S(ZydisDecoder); S(ZydisDecodedInstruction); S(ZydisDecodedOperand); S(ZydisFormatter);
                    O(ZydisDecodedInstruction, mnemonic); O(ZydisDecodedInstruction, length);
                    O(ZydisDecodedInstruction, operand_count); O(ZydisDecodedInstruction, operand_count_visible);
                    O(ZydisDecodedInstruction, attributes); O(ZydisDecodedInstruction, avx);
                    O(ZydisDecodedInstruction, meta); O(ZydisDecodedInstruction, raw);
                    O(ZydisDecodedOperand, visibility); O(ZydisDecodedOperand, size); O(ZydisDecodedOperand, type);
                    printf("consts %d %d %d %d %d\\n", ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64,
                           ZYDIS_FORMATTER_STYLE_INTEL, ZYDIS_FORMATTER_PROP_FORCE_SIZE, ZYDIS_MAX_OPERAND_COUNT);
                    return 0;
                }
                """);
        Path binary = dir.resolve("probe");
        if (run(dir, "gcc", "-o", binary.toString(), source.toString()) == null) {
            Files.deleteIfExists(binary);
            Files.delete(source);
            Files.delete(dir);
            System.out.println("ZydisBindingTest: probe did not compile (headers incomplete), cross-check not run");
            return;
        }
        String out = run(dir, binary.toString());
        Files.delete(binary);
        Files.delete(source);
        Files.delete(dir);
        Map<String, String> c = new HashMap<>();
        for (String line : out.split("\n")) {
            int space = line.indexOf(' ');
            c.put(line.substring(0, space), line.substring(space + 1).trim());
        }
        assertEquals(ZydisDecoder.sizeof() + " 4", c.get("ZydisDecoder"));
        assertEquals(ZydisDecodedInstruction.sizeof() + " 8", c.get("ZydisDecodedInstruction"));
        assertEquals(ZydisDecodedOperand.sizeof() + " 8", c.get("ZydisDecodedOperand"));
        assertEquals(ZydisFormatter.sizeof() + " 8", c.get("ZydisFormatter"));
        for (String field : new String[]{"mnemonic", "length", "operand_count", "operand_count_visible",
                "attributes", "avx", "meta", "raw"}) {
            long ours = ZydisDecodedInstruction.layout().byteOffset(groupElement(field));
            assertEquals(String.valueOf(ours), c.get("ZydisDecodedInstruction." + field), field);
        }
        for (String field : new String[]{"visibility", "size", "type"}) {
            long ours = ZydisDecodedOperand.layout().byteOffset(groupElement(field));
            assertEquals(String.valueOf(ours), c.get("ZydisDecodedOperand." + field), field);
        }
        assertEquals(Zydis_h.ZYDIS_MACHINE_MODE_LONG_64() + " " + Zydis_h.ZYDIS_STACK_WIDTH_64() + " "
                + Zydis_h.ZYDIS_FORMATTER_STYLE_INTEL() + " " + Zydis_h.ZYDIS_FORMATTER_PROP_FORCE_SIZE() + " "
                + Zydis_h.ZYDIS_MAX_OPERAND_COUNT(), c.get("consts"));
    }

    @Test
    void decodesAndListsKnownBytes() {
        byte[] code = HexFormat.of().parseHex("4889442408" + "e9fbffffff" + "ff");
        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            Disassembler.Decoded first = zydis.decodeOne(code, 0, 0x1000);
            assertEquals(new Disassembler.Decoded(5, "mov qword ptr [rsp+0x08], rax"), first);
            assertEquals("jmp 0x0000000000001005", zydis.decodeOne(code, 5, 0x1000).text());
            assertFalse(zydis.decodeOne(code, 10, 0x1000).isValid());
            String listing = zydis.listing(code, 0x1000);
            assertTrue(listing.startsWith("0000: 48 89 44 24 08"), listing);
            assertEquals(3, listing.lines().count(), listing);
            assertTrue(listing.lines().toList().get(2).endsWith("(bad)"), listing);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Runs a command; its stdout, or null if it failed. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
        return out;
    }
}
