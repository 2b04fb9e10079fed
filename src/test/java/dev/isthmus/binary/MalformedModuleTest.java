package dev.isthmus.binary;

import dev.isthmus.binary.DecodeException;
import org.junit.jupiter.api.Test;

import static dev.isthmus.binary.ModuleBytes.body;
import static dev.isthmus.binary.ModuleBytes.hex;
import static dev.isthmus.binary.ModuleBytes.name;
import static dev.isthmus.binary.ModuleBytes.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each malformation rule, with the test suite's wording as the prefix of the reason. */
class MalformedModuleTest {
    private static DecodeException rejects(String expected, byte[] module) {
        return rejects(expected, module, true);
    }

    /** {@code multiMemory} false: the Wasm 2.0 instruction format (one memory). */
    private static DecodeException rejects(String expected, byte[] module, boolean multiMemory) {
        dev.isthmus.model.WasmVersion version = multiMemory ? dev.isthmus.model.WasmVersion.V3_0
                : dev.isthmus.model.WasmVersion.V2_0;
        DecodeException e = assertThrows(DecodeException.class, () -> ModuleDecoder.decode(module, version));
        assertTrue(e.reason().startsWith(expected), "expected \"" + expected + "\", got: " + e.getMessage());
        return e;
    }

    private static DecodeException rejects(String expected, String hex) {
        return rejects(expected, hex(hex));
    }

    /** A module with one function of type [] -> [] and a memory, whose body is {@code code}. */
    private static byte[] withBody(String locals, String code) {
        return new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(5, vec(1), "00 01")
                .section(10, vec(1), body(locals, code))
                .bytes();
    }

    @Test
    void header() {
        rejects("unexpected end", "");
        rejects("unexpected end", "00 61 73");
        rejects("unexpected end", "00 61 73 6d 01 00 00");
        rejects("magic header not detected", "00 61 73 6e 01 00 00 00");
        rejects("magic header not detected", "01 00 00 00 00 61 73 6d");
        rejects("unknown binary version", "00 61 73 6d 02 00 00 00");
        rejects("unknown binary version", "00 61 73 6d 01 00 00 01");
    }

    @Test
    void sectionIdsAndOrder() {
        rejects("malformed section id", new ModuleBytes().raw("0e 00").bytes());   // 13 is the tag section (3.0)
        rejects("malformed section id", new ModuleBytes().raw("80 00").bytes());
        rejects("unexpected content after last section", new ModuleBytes().section(1, vec(0)).section(1, vec(0)).bytes());
        rejects("unexpected content after last section", new ModuleBytes().section(3, vec(0)).section(2, vec(0)).bytes());
        // the data count section goes between element and code
        rejects("unexpected content after last section", new ModuleBytes().section(10, vec(0)).section(12, "00").bytes());
        ModuleDecoder.decode(new ModuleBytes().section(9, vec(0)).section(12, "00").section(10, vec(0)).bytes());
    }

    @Test
    void sectionSizes() {
        rejects("length out of bounds", new ModuleBytes().raw("01 05 01 60 00").bytes());
        rejects("section size mismatch", new ModuleBytes().raw("01 05 01 60 00 00 00").bytes());
        rejects("unexpected end", new ModuleBytes().raw("01").bytes());
        rejects("length out of bounds", new ModuleBytes().raw("01 01 02").bytes());  // 2 types need 2 bytes at least
        rejects("unexpected end", new ModuleBytes().raw("01 02 02 60").bytes());     // vector runs past the end
        rejects("integer representation too long", new ModuleBytes().raw("01 80 80 80 80 80 00").bytes());
        rejects("length out of bounds", new ModuleBytes().raw("00 ff ff ff ff 0f").bytes());
    }

    @Test
    void vectorCountsAreCheckedBeforeAllocating() {
        // 2^31-1 imports announced in a 6-byte section
        rejects("length out of bounds", new ModuleBytes().raw("02 06 ff ff ff ff 07 00").bytes());
        rejects("length out of bounds", withBody("ff ff ff ff 0f 7f", "0b"));
        rejects("unexpected end", withBody("00", "0e ff ff ff ff 07 00 0b"));     // (the instruction reader's text)
    }

    @Test
    void customSections() {
        rejects("unexpected end", new ModuleBytes().raw("00").bytes());
        rejects("unexpected end", new ModuleBytes().raw("00 00").bytes());
        rejects("unexpected end", new ModuleBytes().raw("00 01 05 61 62 63 64 65").bytes());  // name overruns section
        rejects("malformed UTF-8 encoding", new ModuleBytes().section(0, "02 c0 80").bytes());
    }

    @Test
    void utf8Names() {
        for (String bad : new String[] {"80", "c0 80", "c2", "e0 80 80", "ed a0 80", "f4 90 80 80", "f8 88 80 80 80", "fe", "ff"}) {
            byte[] raw = hex(bad);
            rejects("malformed UTF-8 encoding", new ModuleBytes().section(2, vec(1),
                    ModuleBytes.u32(raw.length), raw, name("f"), "00 00").bytes());
        }
        ModuleDecoder.decode(new ModuleBytes().section(2, vec(1), name("\u00e9\u4e2d\ud83d\ude00"), name(""), "02 00 01").bytes());
    }

    @Test
    void typeSection() {
        rejects("malformed function type", new ModuleBytes().section(1, vec(1), "61 00 00").bytes());
        rejects("integer representation too long", new ModuleBytes().section(1, vec(1), "e0 7f 00 00").bytes());
        rejects("malformed value type", new ModuleBytes().section(1, vec(1), "60 01 7a 00").bytes());
        rejects("integer representation too long", new ModuleBytes().section(1, vec(1), "60 01 ff 7f 00").bytes());
    }

    @Test
    void importAndExportKinds() {
        rejects("malformed import kind", new ModuleBytes().section(2, vec(1), name("m"), name("f"), "05 00").bytes());
        rejects("malformed import kind", new ModuleBytes().section(2, vec(1), name("m"), name("f"), "80 00").bytes());
        rejects("malformed export kind", new ModuleBytes().section(7, vec(1), name("f"), "05 00").bytes());
    }

    @Test
    void globalsTablesMemories() {
        rejects("malformed mutability", new ModuleBytes().section(6, vec(1), "7f 02 41 00 0b").bytes());
        rejects("malformed mutability", new ModuleBytes().section(6, vec(1), "7f ff 41 00 0b").bytes());
        rejects("malformed reference type", new ModuleBytes().section(4, vec(1), "7f 00 00").bytes());
        // Wasm 2.0: the limits flag is a u1, the bounds u32
        rejects("integer too large", new ModuleBytes().section(4, vec(1), "70 02 00").bytes(), false);
        rejects("integer representation too long", new ModuleBytes().section(4, vec(1), "70 81 00 00 00").bytes(),
                false);
        rejects("integer too large", new ModuleBytes().section(5, vec(1), "03 00 00").bytes(), false); // shared
        rejects("integer too large", new ModuleBytes().section(5, vec(1), "00 ff ff ff ff 1f").bytes(), false);
        // Wasm 3.0 (memory64, table64): flags 0x00, 0x01, 0x04, 0x05 (i64), u64 bounds
        rejects("malformed limits flags", new ModuleBytes().section(4, vec(1), "70 02 00").bytes());
        rejects("malformed limits flags", new ModuleBytes().section(4, vec(1), "70 81 00 00 00").bytes());
        rejects("malformed limits flags", new ModuleBytes().section(5, vec(1), "03 00 00").bytes());    // shared
        rejects("malformed limits flags", new ModuleBytes().section(5, vec(1), "08 00").bytes());
        rejects("integer too large", new ModuleBytes().section(5, vec(1), "04 ff ff ff ff ff ff ff ff ff 7f").bytes());
        rejects("integer representation too long",
                new ModuleBytes().section(5, vec(1), "00 80 80 80 80 80 80 80 80 80 80 00").bytes());
    }

    @Test
    void constantExpressions() {
        // the expression runs on into the next section's bytes, as in the reference interpreter
        // (2.0 format: in 3.0 every section id byte is an opcode, 0x0a throw_ref included)
        rejects("illegal opcode", new ModuleBytes().section(6, vec(1), "7f 00 41 00").section(10, vec(0)).bytes(), false);
        rejects("unexpected end", new ModuleBytes().section(6, vec(1), "7f 00 41 00").bytes());
        rejects("END opcode expected", new ModuleBytes().section(6, vec(1), "7f 00 41 00 05 0b").bytes());
    }

    @Test
    void elementAndDataSegments() {
        rejects("malformed elements segment kind", new ModuleBytes().section(9, vec(1), "08 00").bytes());
        rejects("malformed element kind", new ModuleBytes().section(9, vec(1), "01 01 00").bytes());
        rejects("malformed reference type", new ModuleBytes().section(9, vec(1), "05 7f 00").bytes());
        rejects("malformed data segment kind", new ModuleBytes().section(11, vec(1), "03 00").bytes());
        rejects("length out of bounds", new ModuleBytes().section(11, vec(1), "01 05 61 62").bytes());
        // a length is compared with what remains counting its own bytes (as the reference interpreter does)
        rejects("unexpected end", new ModuleBytes().section(11, vec(1), "01 03 61 62").bytes());
    }

    @Test
    void functionAndCodeCounts() {
        rejects("function and code section have inconsistent lengths", new ModuleBytes()
                .section(1, vec(1), "60 00 00").section(3, vec(2), "00 00").section(10, vec(1), body("00", "0b")).bytes());
        rejects("function and code section have inconsistent lengths", new ModuleBytes()
                .section(10, vec(1), body("00", "0b")).bytes());
        rejects("function and code section have inconsistent lengths", new ModuleBytes()
                .section(1, vec(1), "60 00 00").section(3, vec(1), "00").bytes());
    }

    @Test
    void dataCount() {
        rejects("data count and data section have inconsistent lengths",
                new ModuleBytes().section(12, "01").bytes());
        rejects("data count and data section have inconsistent lengths",
                new ModuleBytes().section(5, vec(1), "00 01").section(12, "02").section(11, vec(1), "01 00").bytes());
        rejects("data count section required", withBody("00", "41 00 41 00 41 00 fc 08 00 00 0b"));
        rejects("data count section required", withBody("00", "fc 09 00 0b"));
    }

    @Test
    void locals() {
        rejects("too many locals", withBody("02 ff ff ff ff 0f 7f 01 7e", "0b"));
        rejects("too many locals", withBody("04 80 80 80 80 04 7f 80 80 80 80 04 7e 80 80 80 80 04 7d 80 80 80 80 04 7c", "0b"));
        rejects("integer too large", withBody("01 80 80 80 80 10 7f", "0b"));
        rejects("malformed value type", withBody("01 01 40", "0b"));
    }

    @Test
    void instructionsInBodies() {
        rejects("illegal opcode", withBody("00", "27 0b"));
        rejects("illegal opcode", withBody("00", "fc 20 0b"));
        rejects("illegal opcode", withBody("00", "fd 94 02 0b"));       // 0xFD 0x114: after the relaxed SIMD opcodes
        // Wasm 2.0: one memory, its index a reserved zero byte; memarg flags are the alignment alone, below 32
        rejects("zero byte expected", withBody("00", "3f 01 1a 0b"), false);
        rejects("zero byte expected", withBody("00", "41 00 40 80 00 1a 0b"), false);
        rejects("malformed memop flags", withBody("00", "41 00 28 20 00 1a 0b"), false);
        rejects("malformed memop flags", withBody("00", "41 00 28 80 01 00 1a 0b"), false);
        ModuleDecoder.decode(withBody("00", "41 00 28 1f 00 1a 0b"), dev.isthmus.model.WasmVersion.V2_0); // too aligned: invalid, not malformed
        // Wasm 3.0 (multiple memories): u32 memory indices; flags bit 6 = a memory index follows; 128 and up malformed
        ModuleDecoder.decode(withBody("00", "3f 01 1a 0b"));                // memory.size 1: invalid, not malformed
        ModuleDecoder.decode(withBody("00", "41 00 40 80 00 1a 0b"));       // memory.grow, index 0 in two bytes
        ModuleDecoder.decode(withBody("00", "41 00 28 20 00 1a 0b"));       // align 2^32: invalid, not malformed
        ModuleDecoder.decode(withBody("00", "41 00 28 42 01 00 1a 0b"));    // memory 1, align 4
        rejects("malformed memop flags", withBody("00", "41 00 28 80 01 00 1a 0b"));
        rejects("malformed memop flags", withBody("00", "41 00 28 c0 01 01 00 1a 0b")); // 0xC0: bit 7
        rejects("integer representation too long", withBody("00", "41 80 80 80 80 80 00 1a 0b"));
        rejects("integer too large", withBody("00", "41 80 80 80 80 70 1a 0b"));
        rejects("malformed reference type", withBody("00", "d0 7f 1a 0b"));
    }

    @Test
    void blockStructure() {
        rejects("END opcode expected", withBody("00", "05 0b"));                 // else outside if
        rejects("END opcode expected", withBody("00", "02 40 05 0b 0b"));        // else inside block
        rejects("END opcode expected", withBody("00", "41 00 04 40 05 05 0b 0b"));  // two elses
        rejects("section size mismatch", withBody("00", "0b 01"));               // trailing byte after the end
        rejects("unexpected end", withBody("00", "02 40 0b"));                   // runs out of input
        // a body that ends early reads on into the next one, whose size byte 0x05 is no END
        rejects("END opcode expected", new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(2), "00 00")
                .section(10, vec(2), "04 00 41 01 1a", "05 00 41 01 1a 0b")
                .bytes());
    }

    @Test
    void errorsTellWhere() {
        byte[] m = new ModuleBytes()
                .section(2, vec(1), name("m"), name("f"), "00 00")   // one imported function
                .section(3, vec(2), "00 00")                         // two defined functions, no code
                .bytes();
        DecodeException e = rejects("function and code section have inconsistent lengths", m);
        assertEquals(m.length, e.offset());

        byte[] bad = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(2, vec(1), name("m"), name("f"), "00 00")
                .section(3, vec(2), "00 00")
                .section(10, vec(2), body("00", "0b"), body("00", "41 00 27 0b"))
                .bytes();
        e = rejects("illegal opcode", bad);
        assertEquals("code", e.section());
        assertEquals(2, e.functionIndex(), "index in the function index space, imports first");
        assertEquals(bad.length - 2, e.offset());
        assertTrue(e.getMessage().contains("code section") && e.getMessage().contains("function 2"), e.getMessage());

        e = rejects("malformed mutability", new ModuleBytes().section(6, vec(1), "7f 02 41 00 0b").bytes());
        assertEquals("global", e.section());
        assertEquals(12, e.offset());
        assertEquals(-1, e.functionIndex());
    }
}
