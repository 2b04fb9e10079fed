package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.text.Wat;
import dev.isthmus.x64.IsaExtension;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.options.Tier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CPU rules of the compiler: SIMD needs SSE4.1 (a module using it is refused for features without it, naming
 * the feature and the first use), {@link CompilerOptions#avx()} restricts the host's features, and the compiled
 * code records the extensions it may contain ({@link MachineCode#requiredExtensions()}).
 */
class CpuRequirementsTest {
    private static final CompilerOptions OPTIONS = new CompilerOptions(BoundsChecks.GUARD_PAGES);
    private static final CpuFeatures NO_SSE41 = CpuFeatures.host().withoutSse41();

    private static WasmModule module(String wat) {
        return TestInstance.load(Wat.toBinary(wat));
    }

    private static String refusal(String wat) {
        return assertThrows(UnimplementedFeatureException.class,
                () -> ModuleCompiler.compile(module(wat), OPTIONS, NO_SSE41)).getMessage();
    }

    @Test
    void simdWithoutSse41IsRefusedNamingTheFeatureAndTheUse() {
        // a SIMD instruction hidden in a function of scalar type
        assertEquals("SIMD needs SSE4.1, which the CPU features compiled for do not include (the module uses "
                + "v128.const in function 1)", refusal("""
                (module (func) (func (result i32) (i32x4.extract_lane 2 (v128.const i32x4 1 2 3 4))))"""));
        assertEquals("SIMD needs SSE4.1, which the CPU features compiled for do not include (the module uses "
                + "v128 in type 0 (func (param v128) (result v128)))",
                refusal("(module (func (param v128) (result v128) (local.get 0)))"));
        assertTrue(refusal("(module (func (local v128)))").endsWith("(the module uses a v128 local in function 0)"));
        assertTrue(refusal("(module (global v128 (v128.const i64x2 0 0)))").endsWith("(the module uses a v128 "
                + "global (global 0))"));
        assertTrue(refusal("(module (import \"m\" \"g\" (global i32)) (import \"m\" \"h\" (global v128)))")
                .endsWith("(the module uses a v128 global (global 1))"));
        CpuFeatures noSsse3 = new CpuFeatures(true, true, true, false, true, false, true, false, false, false);
        assertEquals("SIMD needs SSSE3, which the CPU features compiled for do not include (the module uses a v128 "
                + "local in function 0)", assertThrows(UnimplementedFeatureException.class,
                () -> ModuleCompiler.compile(module("(module (func (local v128)))"), OPTIONS, noSsse3)).getMessage());
        assertTrue(assertThrows(UnimplementedFeatureException.class, () -> ModuleCompiler.compile(
                module("(module (func (local v128)))"), OPTIONS, CpuFeatures.BASELINE)).getMessage()
                .startsWith("SIMD needs SSE3 and SSSE3 and SSE4.1, which"));
        // the same modules without SSE4.1 only where they use no SIMD
        assertNull(SimdRequirement.firstUse(module("(module (func (result f64) (f64.const 1)) (global i64 (i64.const 0)))")));
        MachineCode code = ModuleCompiler.compile(module("(module (func (export \"f\") (result i32) (i32.const 1)))"),
                OPTIONS, NO_SSE41);
        assertFalse(code.requiredExtensions().contains(IsaExtension.SSE4_1));
    }

    @Test
    void theRecordedExtensionsAreThoseCompiledFor() {
        WasmModule m = module("(module (func (export \"f\") (param i32) (result i32) (i32.popcnt (local.get 0))))");
        assertEquals(EnumSet.of(IsaExtension.SSE, IsaExtension.SSE2),
                ModuleCompiler.compile(m, OPTIONS, CpuFeatures.BASELINE).requiredExtensions());
        Set<IsaExtension> host = ModuleCompiler.compile(m, OPTIONS, CpuFeatures.host()).requiredExtensions();
        assertEquals(CpuFeatures.host().extensions(), host);
        assertTrue(CpuFeatures.host().hasAll(host));
        assertFalse(CpuFeatures.BASELINE.hasAll(EnumSet.of(IsaExtension.SSE4_1)));
        CpuFeatures popcntOnly = new CpuFeatures(false, false, true);
        assertEquals(EnumSet.of(IsaExtension.SSE, IsaExtension.SSE2, IsaExtension.POPCNT),
                ModuleCompiler.compile(m, OPTIONS, popcntOnly).requiredExtensions());
    }

    @Test
    void avxOffRestrictsTheHostFeatures() {
        assertTrue(OPTIONS.avx() || !Boolean.parseBoolean(System.getProperty("isthmus.avx", "true")));
        CompilerOptions noAvx = OPTIONS.withAvx(false);
        assertFalse(noAvx.avx());
        assertEquals(CpuFeatures.host().withoutAvx(), ModuleCompiler.cpuFeatures(noAvx));
        assertEquals(noAvx, noAvx.withTier(noAvx.tier()), "the other withers keep it");
        assertFalse(noAvx.withFramePointer(true).avx());
        WasmModule m = module("(module (func (export \"f\") (param f64) (result f64) (f64.sqrt (local.get 0))))");
        Set<IsaExtension> used = ModuleCompiler.compile(m, noAvx).requiredExtensions();
        assertFalse(used.contains(IsaExtension.AVX));
        assertFalse(used.contains(IsaExtension.AVX2));
        // an explicit CpuFeatures is restricted too
        assertFalse(ModuleCompiler.compile(m, noAvx, CpuFeatures.host()).requiredExtensions()
                .contains(IsaExtension.AVX));
        if (CpuFeatures.host().avx()) {
            assertTrue(ModuleCompiler.compile(m, OPTIONS.withAvx(true)).requiredExtensions()
                    .contains(IsaExtension.AVX));
        }
    }

    /** The mnemonics of function {@code index}'s code. */
    private static List<String> mnemonics(MachineCode code, int index) throws Exception {
        List<String> out = new ArrayList<>();
        byte[] bytes = code.functionCode(index);
        try (Disassembler d = Disassembler.open()) {
            for (int o = 0; o < bytes.length; ) {
                Disassembler.Decoded i = d.decodeOne(bytes, o, 0);
                if (!i.isValid()) break;
                out.add(i.text().split(" ")[0]);
                o += i.length();
            }
        }
        return out;
    }

    @Test
    void withoutAvxTheSimdCodeHasNoVexInstruction() throws Exception {
        WasmModule m = module("""
                (module (memory 1)
                  (func (export "f") (param f32 i32) (result i32)
                    (v128.store (i32.const 16) (f32x4.replace_lane 1 (f32x4.splat (local.get 0)) (local.get 0)))
                    (i32x4.extract_lane 2 (v128.load (local.get 1)))))""");
        for (Tier tier : Tier.values()) {
            List<String> sse = mnemonics(ModuleCompiler.compile(m, OPTIONS.withTier(tier).withAvx(false)), 0);
            assertTrue(sse.stream().noneMatch(s -> s.startsWith("v")), tier + ": " + sse);
            assertTrue(sse.contains("movdqu") || sse.contains("movups"), tier + ": " + sse);
            if (CpuFeatures.host().avx()) {
                List<String> avx = mnemonics(ModuleCompiler.compile(m, OPTIONS.withTier(tier).withAvx(true)), 0);
                assertTrue(avx.stream().anyMatch(s -> s.startsWith("v")), tier + ": " + avx);
            }
        }
    }
}
