package dev.isthmus.bench;

import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.tooling.Tooling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which functions of each kernel's module the optimizing tier declines (they are then compiled by the baseline
 * tier), with the reasons, one line per kernel:
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar dev.isthmus.bench.KernelFallbacks [KERNEL ...]
 * </pre>
 */
public final class KernelFallbacks {
    private KernelFallbacks() {
    }

    /** Declined functions of {@code kernel}'s module: total, then "function (reason)" → count. */
    record Declined(int functions, int declined, Map<String, Integer> reasons) {
    }

    static Declined of(Kernel kernel) {
        WasmModule module = Tooling.decode(BenchInputs.bytes(kernel.wasm()));
        Tooling.validate(module);
        VmContextLayout vm = VmContextLayout.of(module);
        int imports = module.importedFunctionCount();
        int defined = module.functions().size();
        Map<String, Integer> reasons = new TreeMap<>();
        int declined = 0;
        for (int i = 0; i < defined; i++) {
            List<String> why = new ArrayList<>(1);
            OptimizingCompiler.StageObserver observer = new OptimizingCompiler.StageObserver() {
                @Override
                public void simplified(IrFunction f) {
                }

                @Override
                public void selected(MachineFunction m) {
                }

                @Override
                public void declined(String reason) {
                    why.add(reason);
                }
            };
            if (OptimizingCompiler.tryCompile(module, vm, CompilerOptions.DEFAULT, CpuFeatures.host(), imports + i,
                    observer) == null) {
                declined++;
                String reason = why.isEmpty() ? "?" : why.get(0).replace("not translated: ", "");
                String name = module.names().functionNames().getOrDefault(imports + i, "#" + (imports + i));
                reasons.merge(name + " (" + reason + ")", 1, Integer::sum);
            }
        }
        return new Declined(defined, declined, reasons);
    }

    public static void main(String[] args) {
        List<Kernel> kernels = new ArrayList<>();
        if (args.length == 0) kernels.addAll(Kernel.all().values());
        for (String a : args) kernels.add(Kernel.of(a));
        for (Kernel k : kernels) {
            Declined d = of(k);
            System.out.printf("%-18s %3d of %3d functions declined%s%n", k.name(), d.declined(), d.functions(),
                    d.reasons().isEmpty() ? "" : "  " + String.join(", ", d.reasons().keySet()));
        }
    }
}
