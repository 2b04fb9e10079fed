package dev.isthmus.compiler;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.Global;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU rule of SIMD: code for v128 values and SIMD instructions needs SSE4.1 (the lowerings use its
 * {@code pinsr*}/{@code pextr*}, {@code pmovsx/zx}, {@code pblendvb}, {@code round*}, ... and assume it), and the
 * SSE3 and SSSE3 every CPU with SSE4.1 has ({@code pshufb}, {@code pabs*}, ...; only a hand-made
 * {@link CpuFeatures} can lack them). A module
 * that uses SIMD, in an instruction or a v128 anywhere in its types, locals or globals, is refused for a
 * {@link CpuFeatures} without SSE4.1 with an {@link UnimplementedFeatureException} naming the missing feature and
 * the first use found, so that it never reaches an instruction the CPU lacks. With SSE4.1 nothing is scanned.
 */
public final class SimdRequirement {
    private SimdRequirement() {
    }

    /**
     * @throws UnimplementedFeatureException when {@code module} uses SIMD and {@code cpu} lacks SSE4.1 (or SSE3 or
     *         SSSE3), naming what is missing and the first use
     */
    static void check(WasmModule module, CpuFeatures cpu) {
        if (cpu.sse3() && cpu.ssse3() && cpu.sse41()) return;
        String use = firstUse(module);
        if (use != null) {
            List<String> missing = new ArrayList<>();
            if (!cpu.sse3()) missing.add("SSE3");
            if (!cpu.ssse3()) missing.add("SSSE3");
            if (!cpu.sse41()) missing.add("SSE4.1");
            throw new UnimplementedFeatureException("SIMD needs " + String.join(" and ", missing) + ", which "
                    + (cpu.equals(CpuFeatures.host()) ? "this CPU does not have"
                            : "the CPU features compiled for do not include") + " (the module uses " + use + ")");
        }
    }

    /**
     * Where {@code module} first uses SIMD, in words, or null when it does not (then its code is the same with and
     * without AVX: only SIMD lowerings look at it).
     */
    public static String firstUse(WasmModule module) {
        for (int t = 0; t < module.types().size(); t++) {
            if (hasV128(module.types().get(t))) return "v128 in type " + t + " " + module.types().get(t);
        }
        int global = 0;
        for (Import imp : module.imports()) {
            if (imp.desc() instanceof ImportDesc.Global g) {
                if (g.type().type() == ValType.V128) return "a v128 global (global " + global + ")";
                global++;
            }
        }
        for (Global g : module.globals()) {
            if (g.type().type() == ValType.V128) return "a v128 global (global " + global + ")";
            global++;
        }
        int imports = module.importedFunctionCount();
        for (int f = 0; f < module.codes().size(); f++) {
            FunctionBody body = module.codes().get(f);
            for (int run = 0; run < body.localRuns(); run++) {
                if (body.localRunType(run) == ValType.V128) return "a v128 local in function " + (imports + f);
            }
            InstructionReader r = new InstructionReader(new ByteReader(body.codeUnsafe()));
            while (!r.atEnd()) {
                Opcode op = r.next();
                if (op.isSimd()) return op.text() + " in function " + (imports + f);
            }
        }
        return null;
    }

    private static boolean hasV128(FuncType type) {
        return type.params().contains(ValType.V128) || type.results().contains(ValType.V128);
    }
}
