package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.ValType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;

import static dev.isthmus.validate.Verdicts.assertInvalid;
import static dev.isthmus.validate.Verdicts.assertValid;
import static dev.isthmus.validate.Verdicts.function;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The instruction → signature tables and the rules for memory arguments, lanes and parametric instructions. */
class InstructionTypingTest {

    /**
     * Every instruction has a typing rule: placed between two {@code unreachable}s (where any operands are
     * available and any results are dropped) it validates in a module that has everything an instruction can name.
     */
    @ParameterizedTest
    @EnumSource(Opcode.class)
    void everyInstructionHasATypingRule(Opcode op) {
        TestModule m = new TestModule().memory().table("funcref").global("i32", true, "i32.const 0")
                .elem("funcref", SegmentMode.PASSIVE, "ref.func 0").passiveData().dataCount(1)
                .export("f", ExternKind.FUNC, 0);
        int type = m.type("->");
        m.tag(type);
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        byte[] instruction = Asm.withZeroImmediates(op);
        switch (op) {
            case BLOCK, LOOP, IF -> {
                code.writeBytes(Asm.code("unreachable"));
                code.writeBytes(instruction);
                code.write(0x0B);
            }
            case ELSE -> {
                code.writeBytes(Asm.code("i32.const 0 if []"));
                code.writeBytes(instruction);
                code.write(0x0B);
            }
            case END -> code.writeBytes(Asm.code("block [] end"));
            // exception handling (a tag of type [] -> [] is made below): the legacy handlers inside their try,
            // delegate ending one, rethrow inside a catch, try_table with no clauses
            case TRY, TRY_TABLE -> {
                code.writeBytes(Asm.code("unreachable"));
                code.writeBytes(op == Opcode.TRY ? new byte[] {0x06, 0x40} : new byte[] {0x1F, 0x40, 0x00});
                code.write(0x0B);
            }
            case CATCH, CATCH_ALL -> {
                code.writeBytes(new byte[] {0x06, 0x40});
                code.writeBytes(instruction);
                code.write(0x0B);
            }
            case DELEGATE -> code.writeBytes(new byte[] {0x06, 0x40, 0x18, 0x00});
            case RETHROW -> code.writeBytes(new byte[] {0x06, 0x40, 0x19, 0x09, 0x00, 0x0B});
            case BR_ON_NON_NULL -> {
                // its label must take a reference: a block with a funcref result
                code.writeBytes(new byte[] {0x00, 0x02, 0x70, 0x00});
                code.writeBytes(instruction);
                code.writeBytes(new byte[] {0x00, 0x0B, 0x00});
            }
            default -> {
                code.writeBytes(Asm.code("unreachable"));
                code.writeBytes(instruction);
                code.writeBytes(Asm.code("unreachable"));
            }
        }
        code.write(0x0B);
        m.funcRaw(type, new int[] {1}, new ValType[] {ValType.I32}, code.toByteArray());
        assertValid(m);
    }

    @Test
    void everySimdInstructionWithoutContextHasAFixedSignature() {
        for (Opcode op : Opcode.values()) {
            if (op.isSimd()) assertNotNull(SignatureTable.STANDARD.of(op), op.text());
        }
    }

    @Test
    void signaturesAreTheSpecOnes() {
        assertEquals("i32 i32 -> i32", SignatureTable.STANDARD.of(Opcode.I32_ADD).toString());
        assertEquals("i64 -> i32", SignatureTable.STANDARD.of(Opcode.I64_EQZ).toString());
        assertEquals("f64 f64 -> i32", SignatureTable.STANDARD.of(Opcode.F64_LE).toString());
        assertEquals("f32 -> i64", SignatureTable.STANDARD.of(Opcode.I64_TRUNC_SAT_F32_U).toString());
        assertEquals("i32 -> f32", SignatureTable.STANDARD.of(Opcode.F32_REINTERPRET_I32).toString());
        assertEquals("i32 i64 ->", SignatureTable.STANDARD.of(Opcode.I64_STORE32).toString());
        assertEquals("v128 i32 -> v128", SignatureTable.STANDARD.of(Opcode.I64X2_SHL).toString());
        assertEquals("v128 f64 -> v128", SignatureTable.STANDARD.of(Opcode.F64X2_REPLACE_LANE).toString());
        assertEquals("v128 v128 v128 -> v128", SignatureTable.STANDARD.of(Opcode.V128_BITSELECT).toString());
        assertEquals("v128 -> i32", SignatureTable.STANDARD.of(Opcode.I16X8_BITMASK).toString());
        assertEquals("i32 v128 -> v128", SignatureTable.STANDARD.of(Opcode.V128_LOAD16_LANE).toString());
    }

    @Test
    void numericOperandsAreChecked() {
        assertValid(function("-> i64", "i32.const 1 i64.extend_i32_u"));
        assertInvalid(function("-> i64", "i64.const 1 i64.extend_i32_u"), "type mismatch");
        assertInvalid(function("-> i32", "i32.const 1 f32.const 2 i32.add"), "type mismatch");
        assertInvalid(function("-> i32", "i32.const 1 i32.add"), "type mismatch");
        assertValid(function("-> f32", "f32.const 1 f32.const 2 f32.copysign"));
    }

    @Test
    void memoryInstructionsNeedAMemory() {
        assertInvalid(new TestModule().func("-> i32", "i32.const 0 i32.load 2 0"), "unknown memory 0");
        assertInvalid(new TestModule().func("-> i32", "memory.size"), "unknown memory");
        assertInvalid(new TestModule().func("-> i32", "i32.const 0 memory.grow"), "unknown memory");
        assertInvalid(new TestModule().func("->", "i32.const 0 i32.const 0 i32.const 0 memory.fill"), "unknown memory");
        assertInvalid(new TestModule().func("->", "i32.const 0 i32.const 0 i32.const 0 memory.copy"), "unknown memory");
        assertInvalid(new TestModule().passiveData().dataCount(1)
                .func("->", "i32.const 0 i32.const 0 i32.const 0 memory.init 0"), "unknown memory");
        assertValid(new TestModule().importMemory(1, 2).func("-> i32", "memory.size"));
    }

    @Test
    void alignmentMustNotExceedTheNaturalOne() {
        assertValid(function("-> i64", "i32.const 0 i64.load 3 0"));
        assertInvalid(function("-> i64", "i32.const 0 i64.load 4 0"), "alignment must not be larger than natural");
        assertInvalid(function("-> i32", "i32.const 0 i32.load8_u 1 0"), "alignment must not be larger than natural");
        assertValid(function("-> v128", "i32.const 0 v128.load 4 0"));
        assertInvalid(function("-> v128", "i32.const 0 v128.load 5 0"), "alignment must not be larger than natural");
        assertInvalid(function("-> v128", "i32.const 0 v128.load32_splat 3 0"), "alignment must not be larger than natural");
        assertInvalid(function("-> v128", "i32.const 0 v128.const v128.load16_lane 2 0 0"),
                "alignment must not be larger than natural");
    }

    @Test
    void laneIndicesAreBoundedByTheShape() {
        assertValid(function("-> i32", "v128.const i8x16.extract_lane_u 15"));
        assertInvalid(function("-> i32", "v128.const i8x16.extract_lane_u 16"), "invalid lane index");
        assertInvalid(function("-> i64", "v128.const i64x2.extract_lane 2"), "invalid lane index");
        assertInvalid(function("-> v128", "v128.const f32.const 0 f32x4.replace_lane 4"), "invalid lane index");
        assertInvalid(function("-> v128", "i32.const 0 v128.const v128.load64_lane 3 0 2"), "invalid lane index");
        assertValid(function("-> v128", "v128.const v128.const i8x16.shuffle 31,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14"));
        assertInvalid(function("-> v128", "v128.const v128.const i8x16.shuffle 32,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14"),
                "invalid lane index");
    }

    @Test
    void selectWithoutTypeIsForNumbersAndVectors() {
        assertValid(function("-> i32", "i32.const 1 i32.const 2 i32.const 0 select"));
        assertValid(function("-> v128", "v128.const v128.const i32.const 0 select"));
        assertInvalid(function("-> i32", "i32.const 1 i64.const 2 i32.const 0 select"), "type mismatch");
        assertInvalid(function("-> funcref", "ref.null funcref ref.null funcref i32.const 0 select"), "type mismatch");
        assertInvalid(function("->", "unreachable ref.null externref i32.const 0 select drop"), "type mismatch");
        assertValid(function("-> i32", "unreachable select"));
        assertValid(function("-> f64", "unreachable f64.const 1 i32.const 0 select"));
    }

    @Test
    void typedSelectHasExactlyOneResult() {
        assertValid(function("-> funcref", "ref.null funcref ref.null funcref i32.const 0 select_t funcref"));
        assertInvalid(function("->", "i32.const 0 select_t -"), "invalid result arity");
        assertInvalid(function("-> i32", "i32.const 1 i32.const 1 i32.const 1 i32.const 1 i32.const 0 select_t i32,i32"),
                "invalid result arity");
        assertInvalid(function("-> i32", "i32.const 1 i64.const 1 i32.const 0 select_t i32"), "type mismatch");
    }

    @Test
    void referenceInstructions() {
        assertValid(function("-> i32", "ref.null externref ref.is_null"));
        assertInvalid(function("-> i32", "i32.const 0 ref.is_null"), "type mismatch");
        assertValid(function("-> i32", "unreachable ref.is_null"));
    }
}
