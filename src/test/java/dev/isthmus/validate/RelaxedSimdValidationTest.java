package dev.isthmus.validate;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.Opcode;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 20 relaxed SIMD instructions of Wasm 3.0 through the text parser, the decoder and the validator. */
class RelaxedSimdValidationTest {
    private static final String[] UNARY = {"i32x4.relaxed_trunc_f32x4_s", "i32x4.relaxed_trunc_f32x4_u",
            "i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero"};
    private static final String[] BINARY = {"i8x16.relaxed_swizzle", "f32x4.relaxed_min", "f32x4.relaxed_max",
            "f64x2.relaxed_min", "f64x2.relaxed_max", "i16x8.relaxed_q15mulr_s", "i16x8.relaxed_dot_i8x16_i7x16_s"};
    private static final String[] TERNARY = {"f32x4.relaxed_madd", "f32x4.relaxed_nmadd", "f64x2.relaxed_madd",
            "f64x2.relaxed_nmadd", "i8x16.relaxed_laneselect", "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect",
            "i64x2.relaxed_laneselect", "i32x4.relaxed_dot_i8x16_i7x16_add_s"};

    @Test
    void everyRelaxedInstructionValidatesWithItsOperands() {
        StringBuilder module = new StringBuilder("(module\n");
        int n = 0;
        for (String[] group : new String[][] {UNARY, BINARY, TERNARY}) {
            for (String name : group) {
                int arity = group == UNARY ? 1 : group == BINARY ? 2 : 3;
                module.append("  (func (export \"f").append(n++).append("\") (param v128 v128 v128) (result v128)\n");
                module.append("    (").append(name);
                for (int i = 0; i < arity; i++) module.append(" (local.get ").append(i).append(')');
                module.append("))\n");
            }
        }
        module.append(")");
        assertEquals(20, n);
        WasmModule m = ModuleDecoder.decode(Wat.toBinary(module.toString()));
        assertDoesNotThrow(() -> Validator.validate(m));
    }

    @Test
    void operandCountsAndTypesAreChecked() {
        for (String name : TERNARY) assertInvalid("(v128.const i64x2 0 0) (v128.const i64x2 0 0) (" + name + ")");
        for (String name : BINARY) assertInvalid("(v128.const i64x2 0 0) (f32.const 0) (" + name + ")");
        for (String name : UNARY) assertInvalid("(f64.const 0) (" + name + ")");
    }

    @Test
    void encodingsAreTwoByteSubOpcodes() {
        byte[] wasm = Wat.toBinary("(module (func (param v128) (result v128) (i32x4.relaxed_dot_i8x16_i7x16_add_s "
                + "(local.get 0) (local.get 0) (local.get 0))))");
        byte[] expected = HexFormat.ofDelimiter(" ").parseHex("fd 93 02");
        assertTrue(indexOf(wasm, expected) >= 0, "0xFD 0x113 encoded as fd 93 02");
        assertEquals(Opcode.I8X16_RELAXED_SWIZZLE, Opcode.simd(0x100));
        assertEquals(Opcode.I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, Opcode.simd(0x113));
        assertEquals(null, Opcode.simd(0x114));
        assertArrayEquals(new Object[] {"v128 v128 v128 -> v128"},
                new Object[] {SignatureTable.STANDARD.of(Opcode.I16X8_RELAXED_LANESELECT).toString()});
    }

    private static void assertInvalid(String body) {
        WasmModule m = ModuleDecoder.decode(Wat.toBinary("(module (func " + body + " drop))"));
        assertThrows(ValidationException.class, () -> Validator.validate(m), body);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
