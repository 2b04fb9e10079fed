package dev.isthmus.text.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.isthmus.model.ValType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WastParserTest {

    @Test
    void parsesEveryCommandKind() {
        String script = """
                (module $m (func (export "f") (param i32) (result i32) local.get 0))
                (module binary "\\00asm" "\\01\\00\\00\\00")
                (module quote "(func)")
                (register "reg" $m)
                (invoke $m "f" (i32.const -1))
                (assert_return (invoke "f" (i32.const 7)) (i32.const 7))
                (assert_return (get "g") (f32.const nan:canonical))
                (assert_return (invoke "v") (v128.const f32x4 nan:arithmetic 1 2 3))
                (assert_return (invoke "r" (ref.null extern) (ref.extern 3)) (ref.func) (ref.null func))
                (assert_trap (invoke "t") "unreachable")
                (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
                (assert_exhaustion (invoke "loop") "call stack exhausted")
                (assert_malformed (module quote "(func") "unexpected end")
                (assert_invalid (module (func (result i32))) "type mismatch")
                (assert_unlinkable (module (import "x" "y" (func))) "unknown import")
                (assert_uninstantiable (module (memory 0) (data (i32.const 1) "a")) "out of bounds")
                (thread $t (invoke "f"))
                """;
        List<WastCommand> commands = WastParser.parse(script, "t.wast");
        assertEquals(17, commands.size());
        var module = assertInstanceOf(WastCommand.ModuleCommand.class, commands.get(0));
        assertEquals("m", module.name());
        assertEquals(1, module.line());
        assertInstanceOf(ModuleSource.Text.class, module.source());
        var binary = assertInstanceOf(WastCommand.ModuleCommand.class, commands.get(1));
        assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, ((ModuleSource.Binary) binary.source()).bytes());
        assertEquals("(func)", ((ModuleSource.Quote) ((WastCommand.ModuleCommand) commands.get(2)).source()).text());
        assertEquals(new WastCommand.Register(4, "reg", "m"), commands.get(3));
        var invoke = (WastAction.Invoke) ((WastCommand.ActionCommand) commands.get(4)).action();
        assertEquals(List.of(new WastValue.Num(ValType.I32, 0xFFFFFFFFL)), invoke.args());
        var ret = assertInstanceOf(WastCommand.AssertReturn.class, commands.get(5));
        assertEquals(List.of(new WastExpected.Exact(new WastValue.Num(ValType.I32, 7))), ret.expected());
        assertEquals(List.of(new WastExpected.CanonicalNan(ValType.F32)),
                ((WastCommand.AssertReturn) commands.get(6)).expected());
        var lanes = (WastExpected.V128Lanes) ((WastCommand.AssertReturn) commands.get(7)).expected().get(0);
        assertInstanceOf(WastExpected.Lane.Arithmetic.class, lanes.lanes().get(0));
        assertEquals(new WastExpected.Lane.Bits(Float.floatToRawIntBits(1f)), lanes.lanes().get(1));
        var refs = (WastCommand.AssertReturn) commands.get(8);
        assertEquals(List.of(new WastValue.RefNull("extern"), new WastValue.RefExtern(3)),
                ((WastAction.Invoke) refs.action()).args());
        assertEquals(List.of(new WastExpected.AnyRef("func"), new WastExpected.Exact(new WastValue.RefNull("func"))),
                refs.expected());
        assertInstanceOf(WastCommand.AssertTrap.class, commands.get(9));
        assertInstanceOf(WastCommand.AssertModuleTrap.class, commands.get(10));
        assertInstanceOf(WastCommand.AssertExhaustion.class, commands.get(11));
        assertEquals("unexpected end", ((WastCommand.AssertMalformed) commands.get(12)).message());
        assertInstanceOf(WastCommand.AssertInvalid.class, commands.get(13));
        assertInstanceOf(WastCommand.AssertUnlinkable.class, commands.get(14));
        assertInstanceOf(WastCommand.AssertUninstantiable.class, commands.get(15));
        var unsupported = assertInstanceOf(WastCommand.Unsupported.class, commands.get(16));
        assertEquals("thread", unsupported.kind());
    }

    @Test
    void aBrokenCommandDoesNotLoseTheRestOfTheFile() {
        List<WastCommand> commands = WastParser.parse("""
                (assert_return (invoke "f" (i32.const 99999999999)) (i32.const 0))
                (module)
                """, "t.wast");
        assertEquals(2, commands.size());
        assertInstanceOf(WastCommand.Unsupported.class, commands.get(0));
        assertInstanceOf(WastCommand.ModuleCommand.class, commands.get(1));
    }

    /** Found by the Jazzer wast target: the loop skipping a ref.* pattern's tokens never saw the end of input. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aScriptEndingInsideAReferencePatternEnds() {
        List<WastCommand> commands = WastParser.parse("(assert_return (invoke \"f\") (ref.n", "t.wast");
        assertEquals(1, commands.size());
        assertInstanceOf(WastCommand.Unsupported.class, commands.get(0));
    }

    @Test
    void v128ArgumentsAreLittleEndianLanes() {
        var c = (WastCommand.ActionCommand) WastParser.parse(
                "(invoke \"f\" (v128.const i16x8 1 2 3 4 5 6 7 -1))", "t.wast").get(0);
        var v = (WastValue.V128) ((WastAction.Invoke) c.action()).args().get(0);
        assertEquals(LaneShape.I16X8, v.shape());
        assertEquals(1, v.bytes()[0]);
        assertEquals(0, v.bytes()[1]);
        assertEquals(-1, v.bytes()[15]);
    }

    @Test
    void everySuiteScriptParsesWithoutUnsupportedCommandsIn2_0() throws IOException {
        for (String dir : new String[] {"/work/shared/testsuite/wasm-2.0", "/work/shared/testsuite/wasm-3.0"}) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".wast")).sorted().toList()) {
                    List<WastCommand> commands = WastParser.parse(Files.readString(f), f.getFileName().toString());
                    if (dir.endsWith("2.0")) {
                        for (WastCommand c : commands) {
                            if (c instanceof WastCommand.Unsupported u) throw new AssertionError(f + ": " + u);
                        }
                    }
                }
            }
        }
    }
}
