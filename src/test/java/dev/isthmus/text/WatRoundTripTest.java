package dev.isthmus.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Text to binary, compared byte for byte with what wabt's wat2wasm (an independent encoder) produces for the same
 * source. The expected bytes were generated once with {@code wat2wasm --no-check} and are pinned here.
 */
class WatRoundTripTest {

    private static final String MODULE_A =
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

    private static final String EXPECTED_A =
            "0061736d0100000001130460017f017f60017e0060027f7f017f60000002090103656e76016600010305040200000304" +
            "04017000020504010101020606017f01412a0b070d02036d656d02000361646400010801040908010041000b0201020a" +
            "53040b02017e027d200020016a0b1a00027f034020002000450d01200041016b21000c000b417f0b0b27002000047f41" +
            "010542ffffffffffff1f1a41020b41001100002801084400000000000028c01a0b02000b0b0a010041100b04686900ff";

    private static final String MODULE_B =
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

    private static final String EXPECTED_B =
            "0061736d01000000010e0360017b017b6000016f6000017f0304030001020404016f0001050301000109050101000100" +
            "0c01010a7e037100410041004101fc080000fc0900fc0d002000fd0c01000000ffffffff10000000fffffffffd0d0001" +
            "02030405060708090a0b0c0d0e1f41002000fd54000307fd0c0000c03f000080ff0100807f01000000fd1f031a1a2000" +
            "fd0c0500000000000000fbffffffffffffff41011c017b0b0400d06f0b0500fc10000b0b06010103616263";

    @Test
    void coreModuleMatchesWat2wasm() {
        assertArrayEquals(HexFormat.of().parseHex(EXPECTED_A), Wat.toBinary(MODULE_A));
    }

    @Test
    void bulkMemorySimdAndReferenceModuleMatchesWat2wasm() {
        assertArrayEquals(HexFormat.of().parseHex(EXPECTED_B), Wat.toBinary(MODULE_B));
    }
}
