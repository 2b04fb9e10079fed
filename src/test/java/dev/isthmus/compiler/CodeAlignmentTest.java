package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CodeAlignment} in both tiers: every function entry at {@code k * functionAlignment + functionPadding},
 * every back-edge target (loop head) at a multiple of the loop alignment, every 16-byte constant still 16-byte
 * aligned (checked in the decoded code, and by running the float sign operations whose masks are such constants:
 * a misaligned {@code andps} operand faults) — whatever the padding.
 */
class CodeAlignmentTest {
    private static final String FLOATS = """
            (module
              (func (param f32) (result f32) (f32.abs (local.get 0)))
              (func (param f32) (result f32) (f32.neg (local.get 0)))
              (func (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
              (func (param f64) (result f64) (f64.abs (local.get 0)))
              (func (param f64) (result f64) (f64.neg (local.get 0)))
              (func (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
              (func (param i32) (result i32) (local i32)
                (block (loop
                  (br_if 1 (i32.eqz (local.get 0)))
                  (local.set 1 (i32.add (local.get 1) (local.get 0)))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br 0)))
                (local.get 1)))""";

    private static final CodeAlignment[] POLICIES = {
            new CodeAlignment(16, 0, 1), new CodeAlignment(64, 8, 32), new CodeAlignment(64, 24, 32),
            new CodeAlignment(64, 40, 16), new CodeAlignment(32, 17, 64), new CodeAlignment(8, 3, 1),
            new CodeAlignment(1, 0, 8)};

    @TestFactory
    List<DynamicTest> entriesLoopsAndConstants() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        List<byte[]> modules = List.of(Wat.toBinary(FLOATS),
                Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm")));
        for (Tier tier : Tier.values()) {
            for (CodeAlignment policy : POLICIES) {
                CompilerOptions options = new CompilerOptions(BoundsChecks.GUARD_PAGES, tier, StackCheck.PROBE,
                        false, policy);
                tests.add(DynamicTest.dynamicTest(tier + " " + policy, () -> {
                    for (byte[] binary : modules) checkLayout(TestInstance.load(binary), options);
                    runFloats(options);
                }));
            }
        }
        return tests;
    }

    private static final Pattern BRANCH = Pattern.compile("^j\\w+ 0x([0-9A-F]+)$");
    private static final Pattern CONSTANT = Pattern.compile("(\\w+) ptr \\[0x([0-9A-F]+)\\]");

    private static void checkLayout(WasmModule m, CompilerOptions options) throws Exception {
        MachineCode code = ModuleCompiler.compile(m, options);
        CodeAlignment policy = options.alignment();
        int loops = 0;
        int constants = 0;
        try (Disassembler d = Disassembler.open()) {
            for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
                int entry = code.functionOffset(f);
                assertEquals(policy.functionPadding(), entry % policy.functionAlignment(), "entry of " + f);
                byte[] bytes = code.functionCode(f);
                int codeEnd = bytes.length;                        // the constants follow the code
                for (int o = 0; o < codeEnd; ) {
                    Disassembler.Decoded i = d.decodeOne(bytes, o, entry);
                    if (!i.isValid() || i.text().equals("int3")) break; // padding before the constants
                    Matcher b = BRANCH.matcher(i.text());
                    if (b.matches()) {
                        long target = Long.parseUnsignedLong(b.group(1), 16);
                        if (target <= entry + o && target >= entry) {   // a back edge: its target is a loop head
                            assertEquals(0, target % policy.loopAlignment(), "loop head " + i.text());
                            loops++;
                        }
                    }
                    Matcher x = CONSTANT.matcher(i.text());
                    if (x.find()) {
                        long address = Long.parseUnsignedLong(x.group(2), 16);
                        codeEnd = (int) Math.min(codeEnd, address - entry);
                        if (x.group(1).equals("xmmword")) {
                            assertEquals(0, address % 16, "constant of " + i.text());
                            constants++;
                        }
                    }
                    o += i.length();
                }
            }
        }
        assertTrue(loops > 0, "no loop found");
        if (m.functionCount() > 1 && options.tier() == Tier.OPTIMIZING) {
            assertTrue(constants > 0, "no 16-byte constant found");   // (the baseline uses integer sign masks)
        }
    }

    private static void runFloats(CompilerOptions options) throws Exception {
        try (TestInstance t = new TestInstance(TestInstance.load(Wat.toBinary(FLOATS)), options)) {
            long minus = Float.floatToRawIntBits(-2.5f) & 0xFFFF_FFFFL;
            long plus = Float.floatToRawIntBits(2.5f) & 0xFFFF_FFFFL;
            long one = Float.floatToRawIntBits(1f) & 0xFFFF_FFFFL;
            assertArrayEquals(new long[] {plus}, t.invoke(0, minus));
            assertArrayEquals(new long[] {minus}, t.invoke(1, plus));
            assertArrayEquals(new long[] {minus}, t.invoke(2, plus, minus));
            assertArrayEquals(new long[] {plus}, t.invoke(2, minus, one));
            long dMinus = Double.doubleToRawLongBits(-2.5);
            long dPlus = Double.doubleToRawLongBits(2.5);
            assertArrayEquals(new long[] {dPlus}, t.invoke(3, dMinus));
            assertArrayEquals(new long[] {dMinus}, t.invoke(4, dPlus));
            assertArrayEquals(new long[] {dMinus}, t.invoke(5, dPlus, dMinus));
            assertArrayEquals(new long[] {dPlus}, t.invoke(5, dMinus, Double.doubleToRawLongBits(1.0)));
            assertArrayEquals(new long[] {5050}, t.invoke(6, 100));
        }
    }
}
