package dev.isthmus.binary;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.GlobalType;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.isthmus.binary.ModuleBytes.body;
import static dev.isthmus.binary.ModuleBytes.hex;
import static dev.isthmus.binary.ModuleBytes.name;
import static dev.isthmus.binary.ModuleBytes.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the decoder builds from well-formed modules, section by section. */
class ModuleDecoderTest {
    /**
     * wabt 1.0.32 ({@code wat2wasm --debug-names --enable-all}) on a module with every section:
     * <pre>
     * (module $full
     *   (type $t0 (func (param i32 i64) (result f32)))
     *   (type $t1 (func))
     *   (import "env" "f" (func $imp (type $t1)))
     *   (import "env" "t" (table 1 10 funcref))
     *   (import "env" "m" (memory 1 2))
     *   (import "env" "g" (global $gi (mut i32)))
     *   (table $tab 2 externref)
     *   (global $g1 i64 (i64.const -5))
     *   (global $g2 (mut f32) (f32.const 1.5))
     *   (func $add (type $t0) (param $a i32) (param $b i64) (result f32)
     *     (local $x i32) (local $y i32) (local $z f64)
     *     f32.const 0)
     *   (func $start (type $t1)
     *     i32.const 0 i32.const 0 i32.const 1 memory.init $d1
     *     data.drop $d1)
     *   (export "add" (func $add)) (export "mem" (memory 0)) (export "tab" (table 1)) (export "g1" (global $g1))
     *   (start $start)
     *   (elem (i32.const 0) $add)
     *   (elem $e1 func $add $start)
     *   (elem (table 0) (i32.const 0) func $start)
     *   (elem declare func $add)
     *   (elem (i32.const 0) funcref (ref.func $add) (ref.null func))
     *   (elem funcref (ref.func $start))
     *   (elem (table 1) (i32.const 1) externref (ref.null extern))
     *   (elem declare funcref (ref.func $start))
     *   (data (i32.const 8) "hello")
     *   (data $d1 "passive")
     *   (data (memory 0) (i32.const 16) "explicit"))
     * </pre>
     */
    static final String FULL_MODULE = "0061736d01000000010a0260027f7e017d60000002270403656e760166000103656e7601740170"
            + "01010a03656e76016d0201010203656e760167037f0103030200010404016f0002060e027e00427b0b7d01430000c03f0b071804"
            + "036164640001036d656d020003746162010102673103010801020933080041000b010101000201020041000b0102030001010441"
            + "000b02d2010bd0700b01000102060141010b6f01d06f0b030001020c01030a1d020b02027f017c43000000000b0f00410041004101"
            + "fc080100fc09010b0b21030041080b0568656c6c6f0107706173736976650041100b086578706c696369740068046e616d650005"
            + "0466756c6c0112030003696d700103616464020573746172740216030000010500016101016202017803017904017a0200040902"
            + "00027430010274310506010103746162070d030002676901026731020267320805010102653109050101026431";

    /** The 2.0 encodings, decoded by the 2.0 rules (under 3.0 a segment of function indices has type (ref func)). */
    private static WasmModule decode(byte[] bytes) {
        return ModuleDecoder.decode(bytes, WasmVersion.V2_0);
    }

    @Test
    void functionIndexSegmentsAreNonNullFunctionReferencesIn30() {
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(4, vec(1), "70 00 01")
                .section(9, vec(2), "00 41 00 0b 01 00", "04 41 00 0b 01 d2 00 0b")
                .section(10, vec(1), body("00", "0b"))
                .bytes();
        List<ElementSegment> e = ModuleDecoder.decode(m, WasmVersion.V3_0).elements();
        assertEquals(ValType.ref(false, ValType.HEAP_FUNC), e.get(0).type());
        assertEquals(ValType.FUNCREF, e.get(1).type());
    }

    private static String hexOf(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Test
    void emptyModule() {
        WasmModule m = decode(new ModuleBytes().bytes());
        assertTrue(m.types().isEmpty());
        assertTrue(m.codes().isEmpty());
        assertEquals(WasmModule.NO_START, m.startFunction());
        assertEquals(WasmModule.NO_DATA_COUNT, m.dataCount());
        assertNull(m.names().moduleName());
    }

    @Test
    void everySectionOfAWabtModule() {
        WasmModule m = decode(hex(FULL_MODULE));

        assertEquals(List.of(new FuncType(List.of(ValType.I32, ValType.I64), List.of(ValType.F32)),
                new FuncType(List.of(), List.of())), m.types());

        assertEquals(4, m.imports().size());
        assertEquals("env", m.imports().get(0).module());
        assertEquals("f", m.imports().get(0).name());
        assertEquals(new ImportDesc.Func(1), m.imports().get(0).desc());
        assertEquals(new ImportDesc.Table(new TableType(ValType.FUNCREF, new Limits(1, 10))), m.imports().get(1).desc());
        assertEquals(new ImportDesc.Memory(new MemoryType(new Limits(1, 2))), m.imports().get(2).desc());
        assertEquals(new ImportDesc.Global(new GlobalType(ValType.I32, true)), m.imports().get(3).desc());

        assertEquals(List.of(0, 1), m.functions());
        assertEquals(List.of(new TableType(ValType.EXTERNREF, new Limits(2, Limits.NO_MAX))), m.tables());
        assertTrue(m.memories().isEmpty());

        assertEquals(2, m.globals().size());
        assertEquals(new GlobalType(ValType.I64, false), m.globals().get(0).type());
        assertEquals("427b0b", hexOf(m.globals().get(0).init().code()));
        assertEquals(new GlobalType(ValType.F32, true), m.globals().get(1).type());
        assertEquals("430000c03f0b", hexOf(m.globals().get(1).init().code()));

        assertEquals(List.of(new Export("add", ExternKind.FUNC, 1), new Export("mem", ExternKind.MEMORY, 0),
                new Export("tab", ExternKind.TABLE, 1), new Export("g1", ExternKind.GLOBAL, 1)), m.exports());
        assertEquals(2, m.startFunction());

        List<ElementSegment> e = m.elements();
        assertEquals(8, e.size());
        assertSegment(e.get(0), ValType.FUNCREF, SegmentMode.ACTIVE, 0, "41000b", "d2010b");
        assertSegment(e.get(1), ValType.FUNCREF, SegmentMode.PASSIVE, 0, null, "d2010b", "d2020b");
        assertSegment(e.get(2), ValType.FUNCREF, SegmentMode.ACTIVE, 0, "41000b", "d2020b");
        assertSegment(e.get(3), ValType.FUNCREF, SegmentMode.DECLARATIVE, 0, null, "d2010b");
        assertSegment(e.get(4), ValType.FUNCREF, SegmentMode.ACTIVE, 0, "41000b", "d2010b", "d0700b");
        assertSegment(e.get(5), ValType.FUNCREF, SegmentMode.PASSIVE, 0, null, "d2020b");
        assertSegment(e.get(6), ValType.EXTERNREF, SegmentMode.ACTIVE, 1, "41010b", "d06f0b");
        assertSegment(e.get(7), ValType.FUNCREF, SegmentMode.DECLARATIVE, 0, null, "d2020b");

        assertEquals(3, m.dataCount());

        FunctionBody add = m.codes().get(0);
        assertEquals(3, add.localCount());
        assertEquals(2, add.localRuns());
        assertEquals(2, add.localRunCount(0));
        assertEquals(ValType.I32, add.localRunType(0));
        assertEquals(ValType.F64, add.localType(2));
        assertEquals("43000000000b", hexOf(add.code()));
        byte[] module = hex(FULL_MODULE);
        assertEquals(0x43, module[add.codeOffset()] & 0xFF);
        assertEquals("410041004101fc080100fc09010b", hexOf(m.codes().get(1).code()));

        List<DataSegment> d = m.data();
        assertEquals(SegmentMode.ACTIVE, d.get(0).mode());
        assertEquals("41080b", hexOf(d.get(0).offset().code()));
        assertEquals("hello", new String(d.get(0).bytes(), StandardCharsets.US_ASCII));
        assertEquals(SegmentMode.PASSIVE, d.get(1).mode());
        assertNull(d.get(1).offset());
        assertEquals("passive", new String(d.get(1).bytes(), StandardCharsets.US_ASCII));
        assertEquals(SegmentMode.ACTIVE, d.get(2).mode());
        assertEquals("explicit", new String(d.get(2).bytes(), StandardCharsets.US_ASCII));

        assertEquals(1, m.customSections().size());
        assertEquals("name", m.customSections().get(0).name());
        assertEquals("full", m.names().moduleName());
        assertEquals(Map.of(0, "imp", 1, "add", 2, "start"), m.names().functionNames());
        assertEquals(Map.of(1, Map.of(0, "a", 1, "b", 2, "x", 3, "y", 4, "z")), m.names().localNames());
    }

    private static void assertSegment(ElementSegment s, ValType type, SegmentMode mode, int table, String offset,
                                      String... items) {
        assertEquals(type, s.type());
        assertEquals(mode, s.mode());
        assertEquals(table, s.tableIndex());
        if (offset == null) assertNull(s.offset());
        else assertEquals(offset, hexOf(s.offset().code()));
        assertEquals(items.length, s.items().size());
        for (int i = 0; i < items.length; i++) assertEquals(items[i], hexOf(s.items().get(i).code()));
    }

    /** All eight element encodings, built by hand (wabt picks the shortest, so it never writes flags 2, 5 or 7). */
    @Test
    void allEightElementEncodings() {
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(4, vec(2), "70 00 01", "6f 00 01")
                .section(9, vec(8),
                        "00 41 05 0b 02 00 00",            // 0: active table 0, offset 5, funcidx 0 0
                        "01 00 01 00",                     // 1: passive, elemkind, funcidx 0
                        "02 01 41 06 0b 00 01 00",         // 2: active table 1, elemkind, funcidx 0
                        "03 00 01 00",                     // 3: declarative, elemkind, funcidx 0
                        "04 41 07 0b 01 d2 00 0b",         // 4: active table 0, exprs
                        "05 6f 01 d0 6f 0b",               // 5: passive externref, exprs
                        "06 01 41 08 0b 6f 02 d0 6f 0b d0 6f 0b", // 6: active table 1, externref, exprs
                        "07 70 01 d2 00 0b")               // 7: declarative funcref, exprs
                .section(10, vec(1), body("00", "0b"))
                .bytes();
        List<ElementSegment> e = decode(m).elements();
        assertSegment(e.get(0), ValType.FUNCREF, SegmentMode.ACTIVE, 0, "41050b", "d2000b", "d2000b");
        assertSegment(e.get(1), ValType.FUNCREF, SegmentMode.PASSIVE, 0, null, "d2000b");
        assertSegment(e.get(2), ValType.FUNCREF, SegmentMode.ACTIVE, 1, "41060b", "d2000b");
        assertSegment(e.get(3), ValType.FUNCREF, SegmentMode.DECLARATIVE, 0, null, "d2000b");
        assertSegment(e.get(4), ValType.FUNCREF, SegmentMode.ACTIVE, 0, "41070b", "d2000b");
        assertSegment(e.get(5), ValType.EXTERNREF, SegmentMode.PASSIVE, 0, null, "d06f0b");
        assertSegment(e.get(6), ValType.EXTERNREF, SegmentMode.ACTIVE, 1, "41080b", "d06f0b", "d06f0b");
        assertSegment(e.get(7), ValType.FUNCREF, SegmentMode.DECLARATIVE, 0, null, "d2000b");
        // expressions keep their position in the module, synthesised ref.func items have none
        assertTrue(e.get(4).items().get(0).offset() > 0);
        assertEquals(-1, e.get(0).items().get(0).offset());
    }

    @Test
    void allThreeDataEncodings() {
        byte[] m = new ModuleBytes()
                .section(5, vec(1), "00 01")
                .section(11, vec(3),
                        "00 41 10 0b 02 aa bb",            // 0: active memory 0
                        "01 03 01 02 03",                  // 1: passive
                        "02 00 23 00 0b 00")               // 2: active memory 0 (explicit), global.get offset
                .bytes();
        List<DataSegment> d = decode(m).data();
        assertEquals(SegmentMode.ACTIVE, d.get(0).mode());
        assertEquals(0, d.get(0).memoryIndex());
        assertEquals("41100b", hexOf(d.get(0).offset().code()));
        assertArrayEquals(hex("aabb"), d.get(0).bytes());
        assertEquals(SegmentMode.PASSIVE, d.get(1).mode());
        assertArrayEquals(hex("010203"), d.get(1).bytes());
        assertEquals(SegmentMode.ACTIVE, d.get(2).mode());
        assertEquals("23000b", hexOf(d.get(2).offset().code()));
        assertEquals(0, d.get(2).length());
    }

    @Test
    void limitsTablesAndMemories() {
        byte[] m = new ModuleBytes()
                .section(4, vec(2), "70 00 00", "6f 01 02 ff ff ff ff 0f")
                .section(5, vec(2), "00 80 80 04", "01 00 80 80 04")
                .bytes();
        WasmModule w = decode(m);
        assertEquals(new TableType(ValType.FUNCREF, new Limits(0, Limits.NO_MAX)), w.tables().get(0));
        assertEquals(new TableType(ValType.EXTERNREF, new Limits(2, 0xFFFFFFFFL)), w.tables().get(1));
        assertEquals(new MemoryType(new Limits(65536, Limits.NO_MAX)), w.memories().get(0));
        assertEquals(new MemoryType(new Limits(0, 65536)), w.memories().get(1));
    }

    @Test
    void valueTypesIncludingVectorsAndReferences() {
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 07 7f 7e 7d 7c 7b 70 6f 00")
                .bytes();
        assertEquals(List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FUNCREF,
                ValType.EXTERNREF), decode(m).types().get(0).params());
    }

    @Test
    void customSectionsAnywhereAreKeptInOrder() {
        byte[] m = new ModuleBytes()
                .custom("first", "01 02")
                .section(1, vec(0))
                .custom("", "")
                .section(3, vec(0))
                .custom("last")
                .bytes();
        WasmModule w = decode(m);
        assertEquals(List.of("first", "", "last"), w.customSections().stream().map(c -> c.name()).toList());
        assertArrayEquals(hex("0102"), w.customSections().get(0).payload());
        assertEquals(10, w.customSections().get(0).offset());  // after header, id and size: the name's length byte
    }

    @Test
    void startAndDataCount() {
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(5, vec(1), "00 01")
                .section(8, "00")
                .section(12, "01")
                .section(10, vec(1), body("00", "fc 09 00 0b"))
                .section(11, vec(1), "01 00")
                .bytes();
        WasmModule w = decode(m);
        assertEquals(0, w.startFunction());
        assertEquals(1, w.dataCount());
    }

    @Test
    void localsAreKeptRunLengthEncodedHoweverMany() {
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(10, vec(1), body("02 ff ff ff ff 07 7e 80 80 80 80 08 7f", "0b"))
                .bytes();
        FunctionBody b = decode(m).codes().get(0);
        assertEquals(0x7FFFFFFFL + 0x80000000L, b.localCount());
        assertEquals(ValType.I64, b.localType(0));
        assertEquals(ValType.I32, b.localType(0x7FFFFFFFL));
    }

    @Test
    void bodiesWithNestedBlocksIfElseAndEveryImmediateShape() {
        String code = String.join(" ",
                "02 40 03 7f 41 01 0b 1a 0b",          // block (loop (result i32) i32.const 1) drop
                "41 00 04 40 01 05 01 0b",             // if/else
                "41 00 04 40 0b",                      // if without else
                "41 00 0e 02 00 00 00",                // br_table 0 0 0 (only well-formedness is checked)
                "1c 01 7f",                            // select (result i32)
                "fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 1a",  // v128.const, drop
                "0b");
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(10, vec(1), body("00", code))
                .bytes();
        FunctionBody b = decode(m).codes().get(0);
        assertArrayEquals(hex(code), b.code(), "body bytes are kept whole");
    }

    @Test
    void nameSectionWithModuleFunctionAndLocalNames() {
        byte[] names = ModuleBytes.concat(
                "00", sized(name("mod")),
                "01", sized(vec(2), "00", name("zero"), "05", name("five")),
                "02", sized(vec(1), "05", vec(2), "00", name("p"), "01", name("q")),
                "04", sized(vec(1), "00", name("type names are skipped")));
        WasmModule w = decode(new ModuleBytes().custom("name", names).bytes());
        assertEquals("mod", w.names().moduleName());
        assertEquals(Map.of(0, "zero", 5, "five"), w.names().functionNames());
        assertEquals(Map.of(5, Map.of(0, "p", 1, "q")), w.names().localNames());
    }

    @Test
    void aBrokenNameSectionKeepsWhatParsedAndNeverRejectsTheModule() {
        byte[] truncated = ModuleBytes.concat(
                "00", sized(name("mod")),
                "01", sized(vec(3), "00", name("zero"), "01", name("one"), "02", "09 61"));   // third name cut short
        WasmModule w = decode(new ModuleBytes().custom("name", truncated).bytes());
        assertEquals("mod", w.names().moduleName());
        assertEquals(Map.of(0, "zero", 1, "one"), w.names().functionNames());

        byte[] badUtf8 = ModuleBytes.concat("00", sized("02 c0 80"), "01", sized(vec(1), "00", name("f")));
        w = decode(new ModuleBytes().custom("name", badUtf8).bytes());
        assertNull(w.names().moduleName());
        assertTrue(w.names().functionNames().isEmpty());

        byte[] outOfOrder = ModuleBytes.concat("01", sized(vec(1), "00", name("f")), "00", sized(name("late")));
        w = decode(new ModuleBytes().custom("name", outOfOrder).bytes());
        assertEquals(Map.of(0, "f"), w.names().functionNames());
        assertNull(w.names().moduleName());

        byte[] garbage = hex("ff ff ff ff ff ff");
        w = decode(new ModuleBytes().custom("name", garbage).bytes());
        assertNull(w.names().moduleName());
        assertFalse(w.customSections().isEmpty());
    }

    @Test
    void constantExpressionsKeepTheirBytesAndOffset() {
        byte[] m = new ModuleBytes()
                .section(6, vec(1), "7f 00 41 2a 41 01 6a 0b")     // i32.const 42 i32.const 1 i32.add (extended)
                .bytes();
        ConstExpr init = decode(m).globals().get(0).init();
        assertEquals("412a41016a0b", hexOf(init.code()));
        assertEquals(8 + 2 + 1 + 2, init.offset());
    }

    private static byte[] sized(Object... parts) {
        byte[] b = ModuleBytes.concat(parts);
        return ModuleBytes.concat(ModuleBytes.u32(b.length), b);
    }
}
