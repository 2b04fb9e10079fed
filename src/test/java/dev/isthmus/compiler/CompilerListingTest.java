package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.signal.ListingFiles;
import dev.isthmus.text.Wat;
import dev.isthmus.explore.Disassembler;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Precise-output listings of compiled functions (disassembled with Zydis at address 0), compared with approved
 * files under {@code src/test/resources/compiler/}; re-bless with {@code -Disthmus.bless=true}.
 */
class CompilerListingTest {
    static String listing(MachineCode code, int function) throws Disassembler.UnavailableException {
        byte[] bytes = code.code();
        try (Disassembler d = Disassembler.open()) {
            return d.listing(Arrays.copyOfRange(bytes, code.functionOffset(function), code.functionEnd(function)), 0);
        }
    }

    private static MachineCode compile(byte[] binary) {
        return ModuleCompiler.compile(TestInstance.load(binary), CompilerOptions.DEFAULT.withTier(Tier.BASELINE),
                dev.isthmus.compiler.machine.CpuFeatures.host());
    }

    /** The seed's ackermann (clang -O3 output): loop kept in registers, two callee-saved registers, fused branches. */
    @Test
    void ackermann() throws Exception {
        MachineCode code = compile(Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm")));
        ListingFiles.assertApproved("compiler/ackermann.listing", listing(code, 0));
        try (TestInstance i = new TestInstance(TestInstance.load(Files.readAllBytes(
                Path.of("examples/ackermann/ackermann.wasm"))), CompilerOptions.DEFAULT.withTier(Tier.BASELINE))) {
            assertArrayEquals(new long[] {61}, i.invoke(0, 3, 3));
        }
    }

    @Test
    void factorialLoop() throws Exception {
        MachineCode code = compile(Wat.toBinary("""
                (module (func (export "fac") (param i64) (result i64) (local i64)
                  (local.set 1 (i64.const 1))
                  (block (br_if 0 (i64.lt_s (local.get 0) (i64.const 2)))
                    (loop
                      (local.set 1 (i64.mul (local.get 1) (local.get 0)))
                      (local.set 0 (i64.add (local.get 0) (i64.const -1)))
                      (br_if 0 (i64.gt_s (local.get 0) (i64.const 1)))))
                  (local.get 1)))
                """));
        ListingFiles.assertApproved("compiler/factorial.listing", listing(code, 0));
    }

    @Test
    void memoryAndFloats() throws Exception {
        MachineCode code = compile(Wat.toBinary("""
                (module (memory 1)
                  (func (export "dot") (param i32 i32 i32) (result f64) (local f64)
                    (block (br_if 0 (i32.eqz (local.get 2)))
                      (loop
                        (local.set 3 (f64.add (local.get 3)
                          (f64.mul (f64.load offset=8 (local.get 0)) (f64.load (local.get 1)))))
                        (local.set 0 (i32.add (local.get 0) (i32.const 8)))
                        (local.set 1 (i32.add (local.get 1) (i32.const 8)))
                        (br_if 0 (local.tee 2 (i32.sub (local.get 2) (i32.const 1))))))
                    (f64.min (local.get 3) (f64.const 100))))
                """));
        ListingFiles.assertApproved("compiler/dot.listing", listing(code, 0));
    }

    @Test
    void jumpTable() throws Exception {
        MachineCode code = compile(Wat.toBinary("""
                (module (func (export "switch") (param i32) (result i32)
                  (block (block (block (block
                    (br_table 0 1 2 3 (local.get 0)))
                    (return (i32.const 10)))
                    (return (i32.const 20)))
                    (return (i32.const 30)))
                  (i32.const 40)))
                """));
        ListingFiles.assertApproved("compiler/switch.listing", listing(code, 0));
    }
}
