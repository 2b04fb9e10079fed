package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.VmContextLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Memory offsets too large for a 32-bit displacement (2^31 - 16 up to 2^32 - 1): the optimizing tier adds them to
 * the zero-extended index as an i64 address (the guard region covers any 32-bit index plus offset). Both tiers give
 * the same results and traps, at the very end of a 4 GiB memory and one byte past it.
 */
class LargeOffsetTest {
    private static final String WAT = """
            (module (memory (export "m") 1 65536)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "st") (param i32 i64) (i64.store offset=0xFFFFFFF0 (local.get 0) (local.get 1)))
              (func (export "ld") (param i32) (result i64) (i64.load offset=0xFFFFFFF0 (local.get 0)))
              (func (export "ld8") (param i32) (result i32) (i32.load8_u offset=0x80000000 (local.get 0)))
              (func (export "v") (param i32) (result i64)
                (i64x2.extract_lane 1 (v128.load offset=0xFFFFFFE0 (local.get 0)))))
            """;

    private static void traps(Instance i, String export, Object... args) {
        WasmTrap t = assertThrows(WasmTrap.class, () -> i.call(export, args), export);
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind(), export);
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void accessesAtTheEndOfA4GiBMemory(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        var compiled = engine.compile(WAT.getBytes(StandardCharsets.UTF_8));
        if (tier == Tier.OPTIMIZING) {
            WasmModule m = compiled.module();
            for (int f = 0; f < m.functionCount(); f++) {
                assertNotNull(OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), CompilerOptions.DEFAULT,
                        CpuFeatures.host(), f), "function " + f + " falls back");
            }
        }
        try (Instance i = compiled.instantiate()) {
            traps(i, "ld", 0);
            traps(i, "st", 0, 1L);
            traps(i, "ld8", 0);
            traps(i, "v", 0);
            assertEquals(1, ((Number) i.call("grow", 65535)[0]).intValue());
            i.call("st", 8, 0x1122334455667788L);                    // bytes 0xFFFFFFF8 .. 0xFFFFFFFF
            assertEquals(0x1122334455667788L, i.call("ld", 8)[0]);
            assertEquals(0x11, i.call("ld8", 0x7FFFFFFF)[0]);          // the last byte of the memory
            assertEquals(0x1122334455667788L, i.call("v", 0x10)[0]);   // 0xFFFFFFF0 .. 0xFFFFFFFF, lane 1
            assertEquals(0L, i.call("ld", 0)[0]);
            traps(i, "ld", 9);
            traps(i, "st", 9, 1L);
            traps(i, "ld8", 0x80000000);
            traps(i, "v", 0x11);
            traps(i, "ld", -1);
        }
    }
}
