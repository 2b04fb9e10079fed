package dev.isthmus.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Text to binary, compared byte for byte with what wabt's wat2wasm (an independent encoder) produces for the same
 * source. The expected bytes were generated once with {@code wat2wasm --no-check} and are pinned here.
 */
class WatRoundTripTest {

    /** Types, imports, exports, locals, labels, folded and plain control, call_indirect, memargs, start. */
    private static final String CORE =
            "(module\n" +
            "  (type $t (func (param i32) (result i32)))\n" +
            "  (import \"env\" \"f\" (func $imp (param i64)))\n" +
            "  (memory (export \"mem\") 1 2)\n" +
            "  (table 2 funcref)\n" +
            "  (global $g (mut i32) (i32.const 42))\n" +
            "  (func $add (export \"add\") (param $a i32) (param $b i32) (result i32)\n" +
            "    (local $x i64) (local f32 f32)\n" +
            "    (i32.add (local.get $a) (local.get $b)))\n" +
            "  (func $loop (type $t)\n" +
            "    (block $out (result i32)\n" +
            "      (loop $l\n" +
            "        (br_if $out (local.get 0) (i32.eqz (local.get 0)))\n" +
            "        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))\n" +
            "        (br $l))\n" +
            "      (i32.const -1)))\n" +
            "  (func (param i32) (result i32)\n" +
            "    local.get 0\n" +
            "    if (result i32)\n" +
            "      i32.const 1\n" +
            "    else\n" +
            "      i64.const 0x7fff_ffff_ffff\n" +
            "      drop\n" +
            "      i32.const 2\n" +
            "    end\n" +
            "    (call_indirect (type $t) (i32.const 0))\n" +
            "    i32.load offset=8 align=2\n" +
            "    f64.const -0x1.8p3\n" +
            "    drop)\n" +
            "  (elem (i32.const 0) $add $loop)\n" +
            "  (data (i32.const 16) \"hi\\00\\ff\")\n" +
            "  (start 4)\n" +
            "  (func)\n" +
            ")\n";

    private static final String CORE_WASM =
            "0061736d0100000001130460017f017f60017e0060027f7f017f60000002090103656e76016600010305040200000304" +
            "04017000020504010101020606017f01412a0b070d02036d656d02000361646400010801040908010041000b0201020a" +
            "53040b02017e027d200020016a0b1a00027f034020002000450d01200041016b21000c000b417f0b0b27002000047f41" +
            "010542ffffffffffff1f1a41020b41001100002801084400000000000028c01a0b02000b0b0a010041100b04686900ff";

    /** Bulk memory, data count, SIMD constants, shuffle, lanes, typed select, reference types. */
    private static final String SIMD_AND_BULK =
            "(module\n" +
            "  (memory 1)\n" +
            "  (table $t 1 externref)\n" +
            "  (elem $e func 0)\n" +
            "  (data $d \"abc\")\n" +
            "  (func (param v128) (result v128)\n" +
            "    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))\n" +
            "    (data.drop $d)\n" +
            "    (elem.drop $e)\n" +
            "    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (v128.const i32x4 1 -1 0x10 0xffffffff))\n" +
            "    (v128.load8_lane offset=3 7 (i32.const 0) (local.get 0))\n" +
            "    (drop (f32x4.extract_lane 3 (v128.const f32x4 1.5 -inf nan:0x1 0x1p-149)))\n" +
            "    drop\n" +
            "    (select (result v128) (local.get 0) (v128.const i64x2 5 -5) (i32.const 1)))\n" +
            "  (func (result externref) (ref.null extern))\n" +
            "  (func (result i32) (table.size $t))\n" +
            ")\n";

    private static final String SIMD_AND_BULK_WASM =
            "0061736d01000000010e0360017b017b6000016f6000017f0304030001020404016f0001050301000109050101000100" +
            "0c01010a7e037100410041004101fc080000fc0900fc0d002000fd0c01000000ffffffff10000000fffffffffd0d0001" +
            "02030405060708090a0b0c0d0e1f41002000fd54000307fd0c0000c03f000080ff0100807f01000000fd1f031a1a2000" +
            "fd0c0500000000000000fbffffffffffffff41011c017b0b0400d06f0b0500fc10000b0b06010103616263";

    /** Every element segment and data segment form, imported table/memory/global, multi-value blocks. */
    private static final String SEGMENTS =
            "(module\n" +
            "  (import \"m\" \"t\" (table $it 1 10 funcref))\n" +
            "  (import \"m\" \"mem\" (memory $im 1))\n" +
            "  (import \"m\" \"g\" (global $ig i64))\n" +
            "  (type $pair (func (result i32 i64)))\n" +
            "  (table $t2 5 externref)\n" +
            "  (elem $p funcref (ref.func $f) (ref.null func))\n" +
            "  (elem $d declare func $f)\n" +
            "  (elem (table $it) (offset (i32.const 1)) func $f $f)\n" +
            "  (elem (table $t2) (i32.const 0) externref (ref.null extern))\n" +
            "  (data $pd \"passive\")\n" +
            "  (data (memory $im) (offset (i32.const 8)) \"\\01\\02\")\n" +
            "  (func $f (result i32) (i32.const 7))\n" +
            "  (func (export \"g\") (param i32) (result i32 i64)\n" +
            "    (block $b (type $pair) (i32.const 1) (i64.const 2))\n" +
            "    (drop) (drop)\n" +
            "    (br_table 0 0 0 (local.get 0))\n" +
            "    (table.init $it $p (i32.const 0) (i32.const 0) (i32.const 1))\n" +
            "    (table.copy $it $it (i32.const 0) (i32.const 0) (i32.const 0))\n" +
            "    (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))\n" +
            "    (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))\n" +
            "    (drop (ref.is_null (ref.null extern)))\n" +
            "    (drop (table.grow $t2 (ref.null extern) (i32.const 1)))\n" +
            "    (table.fill $t2 (i32.const 0) (ref.null extern) (i32.const 0))\n" +
            "    (drop (memory.grow (memory.size)))\n" +
            "    (drop (select (i32.const 1) (i32.const 2) (i32.const 0)))\n" +
            "    (drop (i32.trunc_sat_f32_s (f32.const -0x1p+31)))\n" +
            "    (drop (i64.extend32_s (i64.const -1)))\n" +
            "    (global.get $ig) (drop)\n" +
            "    (loop (param i32) (result i32) (i32.const 1) (i32.add))\n" +
            "    (i64.const 0x8000000000000000))\n" +
            ")\n";

    private static final String SEGMENTS_WASM =
            "0061736d010000000115046000027f7e6000017f60017f027f7e60017f017f021a03016d0174017001010a016d036d65" +
            "6d020001016d0167037e0003030201020404016f000507050101670001091f04057002d2000bd0700b03000100004101" +
            "0b020000060141000b6f01d06f0b0a820102040041070b7b000200410142020b1a1a20000e02000000410041004101fc" +
            "0c0000410041004100fc0e0000410041004100fc0a0000410041004100fc0b00d06fd11ad06f4101fc0f011a4100d06f" +
            "4100fc11013f0040001a4101410241001b1a43000000cffc001a427fc41a23001a030341016a0b428080808080808080" +
            "807f0b0b11020107706173736976650041080b020102";

    /** Module, function and local names (wat2wasm --debug-names). */
    private static final String NAMES =
            "(module $mod\n" +
            "  (import \"m\" \"f\" (func $imp (param i32)))\n" +
            "  (func $a (param $x i32) (param i32) (local $y i64) (local f32))\n" +
            "  (func (param i32))\n" +
            "  (func $c (local $z i32))\n" +
            ")\n";

    private static final String NAMES_WASM =
            "0061736d01000000010d0360017f0060027f7f00600000020701016d016600000304030100020a10030602017e017d0b" +
            "02000b0401017f0b002d046e616d650004036d6f64010c030003696d7001016103016302120400000102000178020179" +
            "0200030100017a";

    @Test
    void debugNamesMatchWat2wasm() {
        assertArrayEquals(HexFormat.of().parseHex(NAMES_WASM), Wat.toBinary(NAMES, true));
    }

    @Test
    void parsedModulesCarryTheTextsNames() {
        var names = Wat.parse(NAMES).names();
        assertEquals("mod", names.moduleName());
        assertEquals(java.util.Map.of(0, "imp", 1, "a", 3, "c"), names.functionNames());
        assertEquals(java.util.Map.of(1, java.util.Map.of(0, "x", 2, "y"), 3, java.util.Map.of(0, "z")),
                names.localNames());
    }

    @Test
    void coreModuleMatchesWat2wasm() {
        assertArrayEquals(HexFormat.of().parseHex(CORE_WASM), Wat.toBinary(CORE));
    }

    @Test
    void simdAndBulkMemoryModuleMatchesWat2wasm() {
        assertArrayEquals(HexFormat.of().parseHex(SIMD_AND_BULK_WASM), Wat.toBinary(SIMD_AND_BULK));
    }

    @Test
    void segmentsModuleMatchesWat2wasm() {
        assertArrayEquals(HexFormat.of().parseHex(SEGMENTS_WASM), Wat.toBinary(SEGMENTS));
    }
}
