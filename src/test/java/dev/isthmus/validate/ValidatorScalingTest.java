package dev.isthmus.validate;

import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;

import static dev.isthmus.validate.Verdicts.assertValid;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Validation stays linear and iterative: deep nesting, wide branch tables, many functions and imports. */
class ValidatorScalingTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @Test
    void deepNestingIsIterative() {
        int depth = 200_000;
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) code.writeBytes(Asm.code("block i32"));
        code.writeBytes(Asm.code("i32.const 1"));
        for (int i = 0; i < depth; i++) code.write(0x0B);
        code.write(0x0B);
        TestModule m = new TestModule();
        m.funcRaw(m.type("-> i32"), new int[0], new ValType[0], code.toByteArray());
        WasmModule module = m.build();
        assertTimeoutPreemptively(GENEROUS, () -> assertValid(module));
    }

    @Test
    void wideBranchTables() {
        int targets = 500_000;
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < targets; i++) labels.append(i % 3).append(',');
        labels.append('0');
        TestModule m = new TestModule().func("->",
                "block [] block [] block [] i32.const 0 br_table " + labels + " end end end");
        WasmModule module = m.build();
        assertTimeoutPreemptively(GENEROUS, () -> assertValid(module));
    }

    @Test
    void manyFunctionsImportsAndCalls() {
        TestModule m = new TestModule();
        int imports = 20_000;
        for (int i = 0; i < imports; i++) m.importFunc("i32 -> i32");
        for (int i = 0; i < 20_000; i++) m.func("i32 -> i32", "local.get 0 call " + (imports + i - 1));
        m.importGlobal("i32", false);
        WasmModule module = m.build();
        assertTimeoutPreemptively(GENEROUS, () -> assertValid(module));
    }

    @Test
    void longStraightLineCode() {
        StringBuilder body = new StringBuilder("i32.const 0");
        for (int i = 0; i < 300_000; i++) body.append(" i32.const 1 i32.add");
        TestModule m = new TestModule().func("-> i32", body.toString());
        WasmModule module = m.build();
        assertTimeoutPreemptively(GENEROUS, () -> assertValid(module));
    }
}
