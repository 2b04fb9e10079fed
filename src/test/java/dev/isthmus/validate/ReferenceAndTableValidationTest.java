package dev.isthmus.validate;

import dev.isthmus.model.ExternKind;
import dev.isthmus.model.SegmentMode;
import org.junit.jupiter.api.Test;

import static dev.isthmus.validate.Verdicts.assertInvalid;
import static dev.isthmus.validate.Verdicts.assertValid;

/** ref.func and C.refs, table instructions, element segments, calls. */
class ReferenceAndTableValidationTest {

    @Test
    void refFuncNeedsADeclaration() {
        assertInvalid(new TestModule().func("-> funcref", "ref.func 0"), "undeclared function reference");
        assertInvalid(new TestModule().func("-> funcref", "ref.func 9"), "unknown function 9");
        // declared by an element segment (any mode), an export or a global initialiser
        assertValid(new TestModule().elem("funcref", SegmentMode.DECLARATIVE, "ref.func 0").func("-> funcref", "ref.func 0"));
        assertValid(new TestModule().export("e", ExternKind.FUNC, 0).func("-> funcref", "ref.func 0"));
        assertValid(new TestModule().global("funcref", false, "ref.func 0").func("-> funcref", "ref.func 0"));
        // a body cannot declare for another body
        assertInvalid(new TestModule().func("-> funcref", "ref.func 1").func("-> funcref", "ref.func 0"),
                "undeclared function reference");
    }

    @Test
    void tableInstructionsUseTheTableElementType() {
        assertValid(new TestModule().table("externref").func("-> externref", "i32.const 0 table.get 0"));
        assertInvalid(new TestModule().table("externref").func("-> funcref", "i32.const 0 table.get 0"), "type mismatch");
        assertInvalid(new TestModule().func("-> i32", "table.size 0"), "unknown table 0");
        assertValid(new TestModule().table("funcref").table("externref")
                .func("-> i32", "ref.null externref i32.const 1 table.grow 1"));
        assertInvalid(new TestModule().table("funcref").table("externref")
                .func("-> i32", "ref.null externref i32.const 1 table.grow 0"), "type mismatch");
        assertValid(new TestModule().table("externref").func("->", "i32.const 0 ref.null externref table.set 0"));
        assertValid(new TestModule().table("externref")
                .func("->", "i32.const 0 ref.null externref i32.const 1 table.fill 0"));
    }

    @Test
    void tableCopyAndInitNeedMatchingTypes() {
        TestModule ok = new TestModule().table("funcref").table("funcref").func("->",
                "i32.const 0 i32.const 0 i32.const 0 table.copy 1 0");
        assertValid(ok);
        assertInvalid(new TestModule().table("funcref").table("externref").func("->",
                "i32.const 0 i32.const 0 i32.const 0 table.copy 1 0"), "type mismatch");
        assertInvalid(new TestModule().table("externref").elem("funcref", SegmentMode.PASSIVE).func("->",
                "i32.const 0 i32.const 0 i32.const 0 table.init 0 0"), "type mismatch");
        assertInvalid(new TestModule().table("funcref").func("->",
                "i32.const 0 i32.const 0 i32.const 0 table.init 4 0"), "unknown elem segment 4");
        assertInvalid(new TestModule().func("->", "elem.drop 0"), "unknown elem segment 0");
        assertValid(new TestModule().elem("externref", SegmentMode.PASSIVE).func("->", "elem.drop 0"));
    }

    @Test
    void dataSegmentIndicesFollowTheDataCount() {
        assertValid(new TestModule().memory().passiveData().dataCount(1).func("->", "data.drop 0"));
        assertInvalid(new TestModule().memory().passiveData().dataCount(1).func("->", "data.drop 1"),
                "unknown data segment 1");
        assertInvalid(new TestModule().memory().dataCount(0)
                .func("->", "i32.const 0 i32.const 0 i32.const 0 memory.init 0"), "unknown data segment");
    }

    @Test
    void callsUseTheCalleeSignature() {
        assertValid(new TestModule().importFunc("i32 i64 -> f32").func("-> f32", "i32.const 1 i64.const 2 call 0"));
        assertInvalid(new TestModule().importFunc("i32 i64 -> f32").func("-> f32", "i64.const 2 i32.const 1 call 0"),
                "type mismatch");
        assertInvalid(new TestModule().func("->", "call 3"), "unknown function 3");
    }

    @Test
    void indirectCallsNeedAFuncrefTableAndAType() {
        TestModule m = new TestModule().table("funcref");
        int type = m.type("i32 -> i32");
        m.func("-> i32", "i32.const 5 i32.const 0 call_indirect " + type + " 0");
        assertValid(m);
        assertInvalid(new TestModule().table("funcref").func("->", "i32.const 0 call_indirect 9 0"), "unknown type");
        assertInvalid(new TestModule().func("->", "i32.const 0 call_indirect 0 0"), "unknown table");
        assertInvalid(new TestModule().table("externref").func("->", "i32.const 0 call_indirect 0 0"), "type mismatch");
        assertInvalid(new TestModule().table("funcref").func("->", "call_indirect 0 0"), "type mismatch");
    }

    @Test
    void tailCallsMustReturnTheCallerResults() {
        assertValid(new TestModule().importFunc("i32 -> i64").func("-> i64", "i32.const 1 return_call 0"));
        assertInvalid(new TestModule().importFunc("i32 -> i32").func("-> i64", "i32.const 1 return_call 0"),
                "type mismatch");
        assertValid(new TestModule().importFunc("i32 -> i64").func("-> i64", "i32.const 1 return_call 0 i64.add"));
        TestModule m = new TestModule().table("funcref");
        int type = m.type("-> f32");
        m.func("-> f32", "i32.const 0 return_call_indirect " + type + " 0");
        assertValid(m);
        TestModule wrong = new TestModule().table("funcref");
        int other = wrong.type("-> f64");
        wrong.func("-> f32", "i32.const 0 return_call_indirect " + other + " 0");
        assertInvalid(wrong, "type mismatch");
    }
}
