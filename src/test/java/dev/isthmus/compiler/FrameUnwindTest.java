package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each function's {@link FrameUnwind} table against its emitted code (decoded with Zydis): the CFA rule in force at
 * every prologue instruction matches the pushes, {@code mov rbp, rsp} and {@code sub rsp} before it; at every call
 * in the body (the return addresses a backtrace sees) it matches the finished frame, plus the 8 bytes a trap site
 * of an unaligned frameless body subtracts; at the explicit checks' overflow path it is the entry's. Under every
 * stack check, frame pointer setting and tier.
 */
class FrameUnwindTest {
    private static final String LEAF = "(module (func (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))";
    private static final String TRAPS = "(module (func (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))";
    private static final String FUNC_REF_CALL = """
            (module (type $t (func (result i32))) (table 1 funcref)
              (func (param i32) (result i32) (i32.add (call_indirect (type $t) (local.get 0)) (i32.const 1))))""";
    /** Six values live across calls: more than the callee-saved registers, so the optimizing tier spills. */
    private static final String SPILLS = """
            (module (func $g (param i64) (result i64) (local.get 0))
              (func (param i64 i64 i64 i64 i64 i64) (result i64)
                (i64.add (i64.add (i64.add (call $g (local.get 0)) (call $g (local.get 1)))
                  (i64.add (i64.mul (local.get 2) (local.get 3)) (i64.mul (local.get 4) (local.get 5))))
                  (i64.add (i64.add (local.get 0) (local.get 1))
                    (i64.add (i64.add (local.get 2) (local.get 3)) (i64.add (local.get 4) (local.get 5)))))))""";

    /** A baseline function whose 9,000 slot-homed locals make a 72 KB frame (larger than MAX_UNCHECKED_FRAME). */
    private static String largeFrame() {
        return "(module (func (result i64) (local" + " i64".repeat(9000) + ") (local.get 8999)))";
    }

    private static List<byte[]> modules() throws Exception {
        return List.of(Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm")), Wat.toBinary(LEAF),
                Wat.toBinary(TRAPS), Wat.toBinary(FUNC_REF_CALL), Wat.toBinary(SPILLS), Wat.toBinary(largeFrame()));
    }

    @TestFactory
    List<DynamicTest> tablesMatchTheEmittedCode() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        List<byte[]> modules = modules();
        for (Tier tier : Tier.values()) {
            for (StackCheck check : StackCheck.values()) {
                for (boolean fp : new boolean[] {true, false}) {
                    CompilerOptions options = PrologueVariantListingTest.options(tier, check, fp);
                    tests.add(DynamicTest.dynamicTest(tier + " " + check.flag() + (fp ? " fp" : " no fp"), () -> {
                        for (byte[] binary : modules) {
                            WasmModule m = TestInstance.load(binary);
                            MachineCode code = ModuleCompiler.compile(m, options);
                            for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
                                check(code, f);
                            }
                        }
                    }));
                }
            }
        }
        return tests;
    }

    /** A leaf without frame pointer that saves nothing has no frame: no push, no sub, the frameless table. */
    @Test
    void leafWithoutFramePointerHasNoFrame() throws Exception {
        WasmModule m = TestInstance.load(Wat.toBinary(LEAF));
        MachineCode code = ModuleCompiler.compile(m,
                PrologueVariantListingTest.options(Tier.OPTIMIZING, StackCheck.GUARD_PAGE, false));
        assertEquals(FrameUnwind.FRAMELESS, code.unwind(0));
        String listing = PrologueVariantListingTest.listing(code, 0);
        assertFalse(listing.contains("push") || listing.contains("rsp") || listing.contains("rbp"), listing);
    }

    /**
     * Without frame pointer the optimizing tier never touches rbp, except in functions calling through func refs
     * (functions it declines are the baseline's, which always keeps it).
     */
    @Test
    void framePointerOnlyWhereFuncRefCallsNeedIt() throws Exception {
        for (byte[] binary : modules()) {
            WasmModule m = TestInstance.load(binary);
            MachineCode code = ModuleCompiler.compile(m,
                    PrologueVariantListingTest.options(Tier.OPTIMIZING, StackCheck.PROBE, false));
            for (int f = 0; f < m.functionCount(); f++) {
                if (OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), f) == null) continue; // baseline's
                String listing = PrologueVariantListingTest.listing(code, f);
                boolean funcRefCalls = listing.contains("call qword ptr [r10");
                assertEquals(funcRefCalls, listing.contains("rbp"), listing);
            }
        }
    }

    private static void check(MachineCode code, int function) throws Disassembler.UnavailableException {
        byte[] bytes = code.functionCode(function);
        FrameUnwind unwind = code.unwind(function);
        boolean fromRbp = false;
        int cfa = 8;
        boolean rbpSaved = false;
        boolean prologue = true;
        int trapAdjust = 0;
        int calls = 0;
        try (Disassembler d = Disassembler.open()) {
            for (int o = 0; o < bytes.length; ) {
                Disassembler.Decoded i = d.decodeOne(bytes, o, 0);
                assertTrue(i.isValid(), "undecodable at " + o);
                String t = i.text();
                String where = "function " + function + " at " + o + " (" + t + "): " + unwind;
                if (prologue) {
                    assertEquals(FrameUnwind.step(fromRbp, cfa, rbpSaved), FrameUnwind.cfaRule(unwind.stepAt(o)), where);
                    if (t.equals("push rbp")) {
                        cfa += 8;
                        rbpSaved = true;
                    } else if (t.startsWith("push ")) {
                        if (!fromRbp) cfa += 8;
                    } else if (t.equals("mov rbp, rsp")) {
                        fromRbp = true;
                        cfa = 16;
                    } else if (t.startsWith("sub rsp, ")) {
                        if (!fromRbp) cfa += Integer.decode(t.substring(9));
                    } else if (!stackCheck(t)) {
                        prologue = false;
                    }
                }
                if (!prologue) {
                    if (t.equals("sub rsp, 0x08")) trapAdjust = fromRbp ? 0 : 8;
                    if (t.startsWith("call ")) {
                        calls++;
                        assertEquals(FrameUnwind.step(fromRbp, cfa + trapAdjust, rbpSaved), FrameUnwind.cfaRule(unwind.stepAt(o)), where);
                    }
                    if (t.equals("ud2")) trapAdjust = 0;
                    if (t.startsWith("jmp qword ptr [r15")) {          // the explicit checks' overflow path
                        assertEquals(FrameUnwind.step(false, 8, false), FrameUnwind.cfaRule(unwind.stepAt(o)), where);
                    }
                }
                o += i.length();
            }
        }
        assertTrue(!prologue || calls == 0, "prologue never ended");
    }

    /** Instructions of the stack checks and the safepoint poll (they move neither rsp nor rbp). */
    private static boolean stackCheck(String t) {
        return t.contains("r11") || t.equals("test dword ptr [r15-0x08], eax") || t.startsWith("test esp, ") || t.startsWith("test dword ptr [rsp")
                || t.startsWith("jz ") || t.startsWith("jb ") || t.startsWith("jnl ");
    }
}
