package dev.isthmus.validate;

import dev.isthmus.model.ValType;
import org.junit.jupiter.api.Test;

import static dev.isthmus.validate.Verdicts.assertInvalid;
import static dev.isthmus.validate.Verdicts.assertValid;
import static dev.isthmus.validate.Verdicts.function;

/** Locals (parameters first, then run-length declared locals) and globals (imports first, mutability). */
class VariableValidationTest {

    @Test
    void localsAreParametersThenDeclaredLocals() {
        assertValid(new TestModule().func("i32 f32 -> f64", "i64 f64", "local.get 3"));
        assertValid(new TestModule().func("i32 f32 -> f32", "i64 f64", "local.get 1"));
        assertInvalid(new TestModule().func("i32 f32 -> f32", "i64 f64", "local.get 2"), "type mismatch");
        assertInvalid(new TestModule().func("i32 -> i32", "i64", "local.get 2"), "unknown local 2");
        assertInvalid(new TestModule().func("->", "local.get 0 drop"), "unknown local 0");
    }

    @Test
    void setAndTeeCheckTheLocalType() {
        assertValid(new TestModule().func("i32 -> i32", "i32.const 1 local.tee 0"));
        assertInvalid(new TestModule().func("i32 ->", "f32.const 1 local.set 0"), "type mismatch");
        assertInvalid(new TestModule().func("->", "i32", "i32.const 1 local.set 1"), "unknown local 1");
    }

    @Test
    void localRunsAreLookedUpUpToTheLimit() {
        TestModule m = new TestModule();
        int type = m.type("i32 -> i64");
        // 49,998 f32 locals, then one i64: index 49,999 (after the parameter) is the i64; 50,000 locals in all
        byte[] withEnd = body("local.get 49999");
        m.funcRaw(type, new int[] {49_998, 1}, new ValType[] {ValType.F32, ValType.I64}, withEnd);
        assertValid(m);
    }

    @Test
    void moreLocalsThanTheImplementationLimitAreInvalid() {
        TestModule one = new TestModule();
        int type = one.type("i32 -> i64");
        one.funcRaw(type, new int[] {49_999, 1}, new ValType[] {ValType.F32, ValType.I64}, body("i64.const 0"));
        assertInvalid(one, "too many locals: function 0 has 50001 locals (1 parameters and 50000 declared), "
                + "the limit is 50000");
        TestModule huge = new TestModule();
        huge.funcRaw(huge.type("->"), new int[] {-1}, new ValType[] {ValType.I32}, body(""));
        assertInvalid(huge, "too many locals: function 0 has 4294967295 locals (0 parameters and 4294967295 "
                + "declared), the limit is 50000");
    }

    private static byte[] body(String instructions) {
        byte[] code = instructions.isEmpty() ? new byte[0] : Asm.code(instructions);
        byte[] withEnd = java.util.Arrays.copyOf(code, code.length + 1);
        withEnd[code.length] = 0x0B;
        return withEnd;
    }

    @Test
    void globalsAreImportsThenDefinitions() {
        TestModule m = new TestModule().importGlobal("f32", false).global("i64", true, "i64.const 0")
                .func("-> i64", "global.get 1");
        assertValid(m);
        assertInvalid(new TestModule().importGlobal("f32", false).global("i64", true, "i64.const 0")
                .func("-> i64", "global.get 0"), "type mismatch");
        assertInvalid(new TestModule().global("i32", false, "i32.const 0").func("-> i32", "global.get 1"),
                "unknown global 1");
    }

    @Test
    void onlyMutableGlobalsCanBeSet() {
        assertValid(new TestModule().global("i32", true, "i32.const 0").func("->", "i32.const 1 global.set 0"));
        assertInvalid(new TestModule().global("i32", false, "i32.const 0").func("->", "i32.const 1 global.set 0"),
                "global is immutable");
        assertInvalid(new TestModule().importGlobal("i32", false).func("->", "i32.const 1 global.set 0"),
                "global is immutable");
        assertInvalid(new TestModule().global("i32", true, "i32.const 0").func("->", "i64.const 1 global.set 0"),
                "type mismatch");
        assertInvalid(function("->", "i32.const 1 global.set 0"), "unknown global");
    }
}
