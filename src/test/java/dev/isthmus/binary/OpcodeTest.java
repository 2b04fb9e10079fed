package dev.isthmus.binary;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the opcode table and the instruction reader against encodings produced by wabt (see resources/binary). */
class OpcodeTest {

    @Test
    void everyInstructionDecodesFromWabtBytes() throws IOException {
        Set<Opcode> seen = EnumSet.noneOf(Opcode.class);
        int rows = 0;
        for (String line : resource("/binary/opcodes.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] parts = line.split("\t");
            byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(parts[1]);
            InstructionReader r = new InstructionReader(new ByteReader(bytes));
            Opcode op = r.next();
            assertEquals(parts[0], op.text(), line);
            assertTrue(r.atEnd(), "immediates of " + line + " not fully consumed");
            seen.add(op);
            rows++;
        }
        assertEquals(EnumSet.allOf(Opcode.class), seen, "instructions without a wabt row");
        assertEquals(Opcode.values().length, rows);
    }

    @Test
    void lookupByTextAndCode() {
        for (Opcode op : Opcode.values()) {
            Opcode byCode = switch (op.prefix()) {
                case 0 -> Opcode.plain(op.code());
                case 0xFC -> Opcode.misc(op.code());
                default -> Opcode.simd(op.code());
            };
            assertEquals(op, byCode);
            if (op != Opcode.SELECT_T) assertEquals(op, Opcode.fromText(op.text()));
        }
        // 236 of Wasm 2.0 and the 20 relaxed SIMD instructions of 3.0
        assertEquals(256, EnumSet.allOf(Opcode.class).stream().filter(Opcode::isSimd).count());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = OpcodeTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
