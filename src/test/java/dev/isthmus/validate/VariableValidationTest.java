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
    void hugeLocalRunsAreLookedUpWithoutExpansion() {
        TestModule m = new TestModule();
        int type = m.type("i32 -> i64");
        // 0x7FFFFFF0 f32 locals, then one i64: index 0x7FFFFFF1 (after the parameter) is the i64
        byte[] code = Asm.code("local.get " + 0x7FFF_FFF1);
        byte[] withEnd = java.util.Arrays.copyOf(code, code.length + 1);
        withEnd[code.length] = 0x0B;
        m.funcRaw(type, new int[] {0x7FFF_FFF0, 1}, new ValType[] {ValType.F32, ValType.I64}, withEnd);
        assertValid(m);
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
