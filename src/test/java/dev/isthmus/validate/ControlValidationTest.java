package dev.isthmus.validate;

import dev.isthmus.binary.ValidationException;
import dev.isthmus.binary.DecodeException;
import org.junit.jupiter.api.Test;

import static dev.isthmus.validate.Verdicts.assertInvalid;
import static dev.isthmus.validate.Verdicts.assertValid;
import static dev.isthmus.validate.Verdicts.function;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Blocks, branches, the function's own results, and the polymorphic stack after unconditional branches. */
class ControlValidationTest {

    @Test
    void functionResultsMustBeExactlyOnTheStack() {
        assertValid(function("-> i32", "i32.const 1"));
        assertInvalid(function("-> i32", ""), "type mismatch");
        assertInvalid(function("-> i32", "i64.const 1"), "type mismatch");
        assertInvalid(function("->", "i32.const 1"), "type mismatch");
        assertInvalid(function("-> i32", "i32.const 1 i32.const 2"), "type mismatch");
    }

    @Test
    void blocksSeeOnlyTheirOwnOperands() {
        assertValid(function("-> i32", "block i32 i32.const 1 end"));
        assertInvalid(function("-> i32", "i32.const 1 block i32 end"), "type mismatch");
        assertInvalid(function("->", "i32.const 1 block [] drop end drop"), "type mismatch");
        assertValid(function("-> i32", "loop i32 i32.const 1 end"));
    }

    @Test
    void multiValueBlockTypesTakeParamsFromTheStack() {
        TestModule m = new TestModule();
        int pair = m.type("i32 i64 -> i64 i32");
        m.func("-> i64 i32", "i32.const 1 i64.const 2 block #" + pair + " local.get 0 drop end");
        assertInvalid(m, "unknown local");   // the block's params are operands, not locals

        TestModule ok = new TestModule();
        int swap = ok.type("i32 i64 -> i64 i32");
        ok.func("-> i64 i32", "i32.const 1 i64.const 2 block #" + swap + " drop drop i64.const 3 i32.const 4 end");
        assertValid(ok);

        TestModule missing = new TestModule();
        int needsTwo = missing.type("i32 i64 -> i32");
        missing.func("-> i32", "i64.const 2 block #" + needsTwo + " drop end");
        assertInvalid(missing, "type mismatch");
    }

    @Test
    void blockTypeIndexMustExist() {
        assertInvalid(function("->", "block #7 end"), "unknown type");
    }

    @Test
    void ifWithoutElseMustNotChangeTheTypes() {
        assertValid(function("->", "i32.const 1 if [] end"));
        assertInvalid(function("-> i32", "i32.const 1 if i32 i32.const 2 end"), "type mismatch");
        assertValid(function("-> i32", "i32.const 1 if i32 i32.const 2 else i32.const 3 end"));
        assertInvalid(function("-> i32", "i32.const 1 if i32 i32.const 2 else end"), "type mismatch");
        assertInvalid(function("->", "if [] end"), "type mismatch");   // no condition

        TestModule m = new TestModule();
        int same = m.type("i32 -> i32");
        m.func("-> i32", "i32.const 5 i32.const 1 if #" + same + " i32.const 1 i32.add end");
        assertValid(m);
    }

    @Test
    void elseOutsideIfIsMalformed() {
        assertThrows(DecodeException.class, () -> Validator.validate(function("->", "block [] else end").build()));
    }

    @Test
    void branchesCarryTheLabelTypes() {
        assertValid(function("-> i32", "block i32 i32.const 1 br 0 end"));
        assertInvalid(function("-> i32", "block i32 br 0 end"), "type mismatch");
        assertValid(function("->", "loop i32 br 0 end drop"));            // a loop's label takes its params: none
        assertValid(function("-> i32", "i32.const 7 br 0"));              // label 0 of the body is the function
        assertInvalid(function("->", "br 1"), "unknown label");
        assertValid(function("-> i32", "block i32 i32.const 1 i32.const 0 br_if 0 end"));
        assertInvalid(function("-> i32", "block i32 i32.const 1 br_if 0 end"), "type mismatch");
    }

    @Test
    void unconditionalBranchesMakeTheStackPolymorphic() {
        assertValid(function("-> i32", "unreachable"));
        assertValid(function("-> i32", "unreachable i32.add"));
        assertValid(function("-> i64", "i64.const 0 return i32.const 1 drop i64.const 1"));
        assertInvalid(function("-> i64", "return"), "type mismatch");
        assertInvalid(function("-> i32", "unreachable i64.const 1"), "type mismatch");
        assertInvalid(function("->", "unreachable i64.const 1 i32.add drop"), "type mismatch");
        assertValid(function("-> i32", "block [] br 0 i32.add drop end i32.const 0"));
    }

    @Test
    void returnUsesTheFunctionResults() {
        assertValid(function("-> f64", "f64.const 1 return"));
        assertInvalid(function("-> f64", "f32.const 1 return"), "type mismatch");
        assertValid(function("-> f64", "block [] f64.const 1 return end unreachable"));
    }

    @Test
    void branchTableTargetsAgreeOnArity() {
        assertValid(function("-> i32", "block i32 i32.const 1 i32.const 0 br_table 0,1 end"));
        assertInvalid(function("->", "block [] block i32 i32.const 0 br_table 0,1 end drop end"), "type mismatch");
        assertInvalid(function("->", "i32.const 0 br_table 0,5"), "unknown label");
        // in unreachable code the operand types stay unknown but the arities must still agree
        assertValid(function("->", "block f32 unreachable br_table 0,0 end drop"));
        assertInvalid(function("->", "block f32 block i64 unreachable br_table 0,1 end drop end drop"),
                "type mismatch");
        assertInvalid(function("->", "block [] block i32 unreachable br_table 0,1 end drop end"), "type mismatch");
    }

    @Test
    void errorsCarryTheInstructionOffsetAndFunctionIndex() {
        TestModule m = new TestModule().importFunc("->").func("->", "nop nop i32.const 1");
        ValidationException e = assertInvalid(m, "type mismatch");
        assertEquals("code", e.section());
        assertEquals(1, e.functionIndex());
        // nop nop i32.const 1 → the final end at byte 4 finds the stray operand
        assertEquals(TestModule.CODE_BASE + 4, e.offset());

        ValidationException local = assertInvalid(new TestModule().func("->", "nop local.get 3 drop"), "unknown local 3");
        assertEquals(TestModule.CODE_BASE + 1, local.offset());
        assertEquals(0, local.functionIndex());
    }

    @Test
    void bodiesMustEndWithTheirBlocks() {
        TestModule m = new TestModule();
        m.funcRaw(m.type("->"), new int[0], new dev.isthmus.model.ValType[0], new byte[] {0x02, 0x40, 0x0B});
        assertThrows(DecodeException.class, () -> Validator.validate(m.build()));
    }
}
