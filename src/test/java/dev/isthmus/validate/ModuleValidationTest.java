package dev.isthmus.validate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import dev.isthmus.model.WasmVersion;
import dev.isthmus.model.ExternKind;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.Limits;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import static dev.isthmus.validate.Verdicts.assertInvalid;
import static dev.isthmus.validate.Verdicts.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module-level rules: type indices, limits, memories, globals, segments, exports, start. */
class ModuleValidationTest {
    private static final long NO_MAX = Limits.NO_MAX;

    @Test
    void emptyModuleIsValid() {
        assertValid(new TestModule());
    }

    @Test
    void functionTypeIndicesMustExist() {
        ValidationException e = assertInvalid(new TestModule().importFuncWithTypeIndex(3), "unknown type");
        assertEquals("import", e.section());
        assertEquals("function", assertInvalid(new TestModule().funcWithTypeIndex(1, "", ""), "unknown type").section());
    }

    @Test
    void memoryLimits() {
        assertValid(new TestModule().memory(0, 65536));
        assertInvalid(new TestModule().memory(65537, NO_MAX), "memory size must be at most 65536 pages (4GiB)");
        assertInvalid(new TestModule().memory(0, 65537), "memory size must be at most 65536 pages (4GiB)");
        assertInvalid(new TestModule().memory(2, 1), "size minimum must not be greater than maximum");
        assertInvalid(new TestModule().importMemory(2, 1), "size minimum must not be greater than maximum");
    }

    @Test
    void tableLimits() {
        assertValid(new TestModule().table("funcref", 0xFFFF_FFFFL, 0xFFFF_FFFFL));
        assertInvalid(new TestModule().table("funcref", 2, 1), "size minimum must not be greater than maximum");
        assertInvalid(new TestModule().importTable("externref", 5, 4), "size minimum must not be greater than maximum");
    }

    @Test
    void atMostOneMemoryUnderTheWasm20Rules() {
        for (TestModule m : new TestModule[] {new TestModule().memory().memory(),
                new TestModule().importMemory(1, NO_MAX).memory()}) {
            WasmModule module = m.build();
            ValidationException e = assertThrows(ValidationException.class, () -> Validator.validate(module,
                    dev.isthmus.model.WasmVersion.V2_0));
            assertTrue(e.reason().startsWith("multiple memories"), e.getMessage());
            assertValid(module);                                                // Wasm 3.0: multiple memories
        }
    }

    @Test
    void globalInitialisersAreConstantAndTyped() {
        assertValid(new TestModule().global("f64", false, "f64.const 1.5"));
        assertValid(new TestModule().global("v128", false, "v128.const"));
        assertValid(new TestModule().global("externref", true, "ref.null externref"));
        assertInvalid(new TestModule().global("i32", false, "i64.const 0"), "type mismatch");
        assertInvalid(new TestModule().global("i32", false, ""), "type mismatch");
        assertInvalid(new TestModule().global("i32", false, "i32.const 0 i32.const 0"), "type mismatch");
        assertInvalid(new TestModule().global("i32", false, "i32.const 0 nop"), "constant expression required");
        assertInvalid(new TestModule().global("i32", false, "i32.const 0 i32.ctz"), "constant expression required");
        assertInvalid(new TestModule().global("i32", false, "local.get 0"), "constant expression required");
        assertInvalid(new TestModule().global("funcref", false, "ref.func 3"), "unknown function 3");
    }

    @Test
    void constantExpressionsReadOnlyImportedImmutableGlobals() {
        assertValid(new TestModule().importGlobal("i32", false).global("i32", false, "global.get 0"));
        assertInvalid(new TestModule().importGlobal("i32", true).global("i32", false, "global.get 0"),
                "constant expression required");
        // Wasm 2.0 (3.0's extended constants allow these: FunctionReferencesValidationTest)
        ValidationException e = assertThrows(ValidationException.class, () -> Validator.validate(new TestModule()
                .global("i32", false, "i32.const 0").global("i32", false, "global.get 0").build(), WasmVersion.V2_0));
        assertTrue(e.reason().startsWith("unknown global 0"), e.getMessage());
        e = assertThrows(ValidationException.class, () -> Validator.validate(new TestModule().memory()
                .global("i32", false, "i32.const 0").activeData(0, "global.get 0").build(), WasmVersion.V2_0));
        assertTrue(e.reason().startsWith("unknown global"), e.getMessage());
        assertValid(new TestModule().global("i32", false, "i32.const 0").global("i32", false, "global.get 0"));
        assertValid(new TestModule().memory().importGlobal("i32", false).activeData(0, "global.get 0"));
    }

    @Test
    void elementSegments() {
        assertValid(new TestModule().table("funcref").func("->", "").activeElem("funcref", 0, "i32.const 0", "ref.func 0"));
        assertInvalid(new TestModule().func("->", "").activeElem("funcref", 0, "i32.const 0", "ref.func 0"),
                "unknown table 0");
        assertInvalid(new TestModule().table("funcref").activeElem("funcref", 0, "i64.const 0"), "type mismatch");
        assertInvalid(new TestModule().table("externref").activeElem("funcref", 0, "i32.const 0"), "type mismatch");
        assertInvalid(new TestModule().elem("externref", SegmentMode.PASSIVE, "ref.null funcref"), "type mismatch");
        assertInvalid(new TestModule().elem("funcref", SegmentMode.PASSIVE, "i32.const 0"), "type mismatch");
        assertValid(new TestModule().importGlobal("funcref", false).elem("funcref", SegmentMode.PASSIVE, "global.get 0"));
    }

    @Test
    void dataSegments() {
        assertValid(new TestModule().memory().activeData(0, "i32.const 8"));
        assertInvalid(new TestModule().activeData(0, "i32.const 8"), "unknown memory 0");
        assertInvalid(new TestModule().memory().activeData(1, "i32.const 8"), "unknown memory 1");
        assertInvalid(new TestModule().memory().activeData(0, "i64.const 8"), "type mismatch");
        assertValid(new TestModule().passiveData());
    }

    @Test
    void exports() {
        TestModule ok = new TestModule().memory().table("funcref").global("i32", false, "i32.const 0").func("->", "")
                .export("f", ExternKind.FUNC, 0).export("t", ExternKind.TABLE, 0)
                .export("m", ExternKind.MEMORY, 0).export("g", ExternKind.GLOBAL, 0);
        assertValid(ok);
        assertInvalid(new TestModule().func("->", "").export("a", ExternKind.FUNC, 0).export("a", ExternKind.FUNC, 0),
                "duplicate export name");
        assertInvalid(new TestModule().export("a", ExternKind.FUNC, 0), "unknown function 0");
        assertInvalid(new TestModule().export("a", ExternKind.TABLE, 0), "unknown table 0");
        assertInvalid(new TestModule().export("a", ExternKind.MEMORY, 0), "unknown memory 0");
        assertInvalid(new TestModule().export("a", ExternKind.GLOBAL, 0), "unknown global 0");
    }

    @Test
    void startFunction() {
        assertValid(new TestModule().func("->", "").start(0));
        assertInvalid(new TestModule().func("-> i32", "i32.const 0").start(0), "start function");
        assertInvalid(new TestModule().func("i32 ->", "").start(0), "start function");
        assertInvalid(new TestModule().start(0), "unknown function 0");
    }
}
