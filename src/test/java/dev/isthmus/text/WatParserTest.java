package dev.isthmus.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Abbreviations (each must give the same bytes as its expansion), name resolution, and error wording. */
class WatParserTest {

    private static void assertSameBinary(String abbreviated, String expanded) {
        assertArrayEquals(Wat.toBinary(expanded), Wat.toBinary(abbreviated), abbreviated);
    }

    private static void assertError(String reason, String text) {
        WatSyntaxException e = assertThrows(WatSyntaxException.class, () -> Wat.toBinary(text), text);
        assertTrue(e.reason().startsWith(reason), () -> "expected '" + reason + "' but got '" + e.getMessage() + "'");
    }

    @Test
    void inlineExportsAndImports() {
        assertSameBinary("(module (func $f (export \"a\") (export \"b\")))",
                "(module (func $f) (export \"a\" (func $f)) (export \"b\" (func 0)))");
        assertSameBinary("(module (func (import \"m\" \"f\") (param i32)))",
                "(module (type (func (param i32))) (import \"m\" \"f\" (func (type 0))))");
        assertSameBinary("(module (global (import \"m\" \"g\") (mut i64)))",
                "(module (import \"m\" \"g\" (global (mut i64))))");
    }

    @Test
    void implicitTypesReuseExplicitOnesEvenWhenDefinedLater() {
        assertSameBinary("(module (func (param i32)) (type (func (param i32))))",
                "(module (type (func (param i32))) (func (type 0)))");
        // an implicit type is appended after all explicit ones, once
        assertSameBinary("(module (func (result i64)) (func (result i64)) (type (func)))",
                "(module (type (func)) (type (func (result i64))) (func (type 1)) (func (type 1)))");
    }

    @Test
    void foldedAndPlainInstructionsAgree() {
        assertSameBinary("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))",
                "(module (func (result i32) i32.const 1 i32.const 2 i32.add))");
        assertSameBinary("(module (func (param i32) (if (local.get 0) (then nop) (else unreachable))))",
                "(module (func (param i32) local.get 0 if nop else unreachable end))");
        assertSameBinary("(module (func (block $a (block $b (br $a)))))",
                "(module (func block block br 1 end end))");
    }

    @Test
    void labelsShadowOuterLabelsOfTheSameName() {
        assertSameBinary("(module (func (block $l (block $l (br $l)))))",
                "(module (func (block (block (br 0)))))");
    }

    @Test
    void memoryAndTableWithInlineSegments() {
        assertSameBinary("(module (memory (data \"ab\" \"c\")))",
                "(module (memory 1 1) (data (i32.const 0) \"abc\"))");
        assertSameBinary("(module (table funcref (elem $f $f)) (func $f))",
                "(module (table 2 2 funcref) (elem (i32.const 0) func 0 0) (func))");
    }

    @Test
    void offsetAndItemForms() {
        assertSameBinary("(module (memory 1) (data (offset (i32.const 4)) \"x\"))",
                "(module (memory 1) (data (i32.const 4) \"x\"))");
        assertSameBinary("(module (table 1 funcref) (elem (i32.const 0) funcref (item ref.func 0)) (func))",
                "(module (table 1 funcref) (elem (i32.const 0) funcref (ref.func 0)) (func))");
    }

    @Test
    void blockTypesByInlineParamsCreateTypes() {
        assertSameBinary("(module (func (block (param i32) (result i32)) drop))",
                "(module (type (func)) (type (func (param i32) (result i32)))"
                        + " (func (type 0) (block (type 1)) drop))");
    }

    @Test
    void unwrappedFieldsAreAModule() {
        assertSameBinary("(func) (memory 1)", "(module (func) (memory 1))");
    }

    @Test
    void commentsAnnotationsAndStringEscapes() {
        assertSameBinary("(module ;; line\n (; block (; nested ;) ;) (@custom \"x\" (y)) (memory 1)"
                        + " (data (i32.const 0) \"\\n\\t\\\\\\'\\\"\\41\\u{263a}\"))",
                "(module (memory 1) (data (i32.const 0) \"\\0a\\09\\5c\\27\\22A\\e2\\98\\ba\"))");
    }

    @Test
    void errorWording() {
        assertError("unknown operator", "(module (func i32.frob))");
        assertError("unexpected token", "(module (func (result i32) (i32.const 0) $x))");
        assertError("constant out of range", "(module (func (drop (i32.const 4294967296))))");
        assertError("mismatching label", "(module (func block $a end $b))");
        assertError("unknown label", "(module (func (br $nowhere)))");
        assertError("duplicate func", "(module (func $f) (func $f))");
        assertError("duplicate local", "(module (func (param $x i32) (local $x i32)))");
        assertError("inline function type", "(module (type (func)) (func (type 0) (param i32)))");
        assertError("import after function", "(module (func) (import \"m\" \"f\" (func)))");
        assertError("import after memory", "(module (memory 0) (import \"m\" \"f\" (func)))");
        assertError("multiple start sections", "(module (func) (start 0) (start 0))");
        assertError("malformed UTF-8 encoding", "(module (func (export \"\\ff\")))");
        assertError("alignment", "(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))");
        assertError("malformed lane index",
                "(module (func (drop (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)))))");
        assertError("invalid lane length", "(module (func (drop (i8x16.shuffle 0 1 (v128.const i64x2 0 0)"
                + " (v128.const i64x2 0 0)))))");
        assertError("wrong number of lane literals", "(module (func (drop (v128.const i32x4 1 2))))");
        assertError("unknown type", "(module (func (type 3) (param i32)))");
        assertError("unknown function", "(module (func (call $missing)))");
        assertError("unclosed string", "(module (memory 1) (data (i32.const 0) \"abc))");
        assertError("unexpected end", "(module (func");
    }

    @Test
    void sourceCharactersAndIdentifiers() {
        assertError("illegal character", "(module (func \u00df))");
        assertError("illegal character", "(module (func \u0001))");
        assertError("empty identifier", "(module (func $))");
        assertError("empty identifier", "(module (func $\"\"))");
        assertError("empty annotation id", "(module (@ x))");
        assertError("unclosed comment", "(module (; (; ;)");
        // $"quoted" and $plain name the same identifier
        assertSameBinary("(module (func $\"f\") (func (call $f)))", "(module (func) (func (call 0)))");
        // anything but an id, including a lone $, may follow the id of an annotation
        assertSameBinary("(module (@a $ , ] (@) \"\u00df\") (func))", "(module (func))");
    }

    @Test
    void malformedUtf8InSourceIsReportedWhereItIs() {
        String text = Utf8.decodeKeepingMalformed(new byte[] {'(', 'm', 'o', 'd', 'u', 'l', 'e', ' ', ';', ';',
                (byte) 0xC0, (byte) 0x80, '\n', ')'});
        assertError("malformed UTF-8 encoding", text);
        String inString = Utf8.decodeKeepingMalformed(
                "(module (memory 1) (data (i32.const 0) \"\u00e9X\"))".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Wat.toBinary(inString);
        String broken = inString.replace("X", Utf8.decodeKeepingMalformed(new byte[] {(byte) 0xFF}));
        assertError("malformed UTF-8 encoding", broken);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        int depth = 200_000;
        assertError("nesting too deep", "(module (func " + "(block ".repeat(depth) + ")".repeat(depth) + "))");
        assertError("nesting too deep", "(module (@a " + "(@b ".repeat(depth) + ")".repeat(depth) + "))");
        assertEquals(3026, Wat.toBinary("(module (func " + "(block ".repeat(1000) + ")".repeat(1000) + "))").length);
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        WatSyntaxException e = assertThrows(WatSyntaxException.class, () -> Wat.toBinary("(module\n  (func bogus))"));
        assertEquals(2, e.line());
        assertEquals(9, e.column());
        assertTrue(e.getMessage().contains("2:9"));
    }

    @Test
    void loadAcceptsTextAndBinary(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("m.wat");
        Files.writeString(text, "(module (func (export \"f\")))");
        byte[] binary = Wat.load(text);
        Path wasm = dir.resolve("m.wasm");
        Files.write(wasm, binary);
        assertArrayEquals(binary, Wat.load(wasm));
        assertTrue(Wat.isBinary(binary));
    }
}
