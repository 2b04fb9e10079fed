package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrPrinter;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.signal.ListingFiles;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden listings per compiler stage: each {@code src/test/resources/golden/NAME.wat} is compiled, and per function
 * the optimizing tier's IR after simplification, its machine instructions after selection, its final code (Zydis)
 * and the baseline's final code are compared with the blessed {@code NAME.listing} beside it (or the reason the
 * optimizing tier falls back to the baseline). Re-bless with {@code -Disthmus.bless=true} or
 * {@code scripts/bless-listings.sh}; see {@code src/test/resources/golden/README.md}.
 */
class GoldenListingTest {
    static final Path DIRECTORY = Path.of("src/test/resources/golden");

    /** Pinned, not the host's: the listings are the same on every x86-64 machine (the code is never run here). */
    static final CpuFeatures CPU = new CpuFeatures(true, true, true);

    /** For modules with SIMD (which needs SSE4.1): SSE3 to SSE4.1 as well, still pinned, without AVX. */
    static final CpuFeatures SIMD_CPU = new CpuFeatures(true, true, true, false, true, true, true, false, false, false);

    /** The default options, independent of the system properties a test run may set. */
    static CompilerOptions options(Tier tier) {
        return new CompilerOptions(BoundsChecks.GUARD_PAGES, tier, CompilerOptions.DEFAULT_STACK_CHECK,
                CompilerOptions.DEFAULT_FRAME_POINTER, CodeAlignment.DEFAULT);
    }

    /** The cases, in file-name order. */
    static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wat")).sorted().toList();
        }
    }

    static String name(Path wat) {
        return wat.getFileName().toString().replaceFirst("\\.wat$", "");
    }

    /**
     * One dynamic test per case. The listings are produced in one child JVM ({@link #main}, all cases in file-name
     * order): call_indirect bakes in process-wide canonical type ids ({@code TypeIds}), numbered by first use, which
     * in this JVM would depend on the tests that ran before (and change the code's length past 127).
     */
    @TestFactory
    Stream<DynamicTest> golden() throws Exception {
        List<Path> wats = cases();
        assertTrue(wats.size() >= 40, "golden cases: " + wats.size());
        Path out = Files.createTempDirectory("isthmus-golden");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), GoldenListingTest.class.getName(), out.toString()));
            pb.redirectErrorStream(true);
            Path log = out.resolve("child.log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "listing child JVM did not finish");
            if (p.exitValue() != 0) fail("listing child JVM failed (exit " + p.exitValue() + "):\n" + read(log));
            List<DynamicTest> tests = new ArrayList<>();
            for (Path wat : wats) {
                String name = name(wat);
                String actual = read(out.resolve(name + ".listing"));
                String error = read(out.resolve(name + ".error"));
                tests.add(DynamicTest.dynamicTest(name, wat.toUri(), () -> {
                    if (error != null) fail("listing of " + name + " failed in the child JVM:\n" + error);
                    check(name, actual);
                }));
            }
            return tests.stream();
        } finally {
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(out);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : null;
    }

    /** Child JVM: writes {@code NAME.listing} (or {@code NAME.error}) of every case into directory {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        for (Path wat : cases()) {
            try {
                Files.writeString(out.resolve(name(wat) + ".listing"), listing(Files.readString(wat)));
            } catch (Exception | Error e) {
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                Files.writeString(out.resolve(name(wat) + ".error"), w.toString());
            }
        }
    }

    /** The whole listing of one module. */
    static String listing(String wat) throws Disassembler.UnavailableException {
        WasmModule module = TestInstance.load(Wat.toBinary(wat));
        CpuFeatures cpu = wat.matches("(?s).*(v128|x16\\.|x8\\.|x4\\.|x2\\.).*") ? SIMD_CPU : CPU;
        MachineCode optimizing = ModuleCompiler.compile(module, options(Tier.OPTIMIZING), cpu);
        MachineCode baseline = ModuleCompiler.compile(module, options(Tier.BASELINE), cpu);
        VmContextLayout vm = VmContextLayout.of(module);
        TailCallEffects effects = TailCallEffects.of(module);
        int imports = module.importedFunctionCount();
        StringBuilder s = new StringBuilder();
        try (Disassembler d = Disassembler.open()) {
            for (int i = 0; i < module.functions().size(); i++) {
                int index = imports + i;
                s.append(";; ==== func ").append(index);
                for (Export e : module.exports()) {
                    if (e.kind() == ExternKind.FUNC && e.index() == index) s.append(" \"").append(e.name()).append('"');
                }
                s.append(' ').append(module.functionType(index)).append('\n');
                Stages stages = new Stages();
                boolean compiled = OptimizingCompiler.tryCompile(module, vm, options(Tier.OPTIMIZING), cpu, index,
                        stages, effects) != null;
                if (compiled) {
                    s.append(";; optimizing: ir\n").append(stages.ir);
                    s.append(";; optimizing: machine\n").append(stages.machine);
                    s.append(";; optimizing: code\n").append(d.listing(optimizing.functionCode(index), 0));
                } else {
                    s.append(";; optimizing: falls back to baseline: ").append(stages.declined).append('\n');
                }
                s.append(";; baseline: code\n").append(d.listing(baseline.functionCode(index), 0));
            }
        }
        return s.toString();
    }

    /** Text of each stage, taken when the tier reports it (the machine function before register allocation). */
    static final class Stages implements OptimizingCompiler.StageObserver {
        String ir;
        String machine;
        String declined;

        @Override
        public void simplified(IrFunction f) {
            ir = IrPrinter.print(f);
        }

        @Override
        public void selected(MachineFunction m) {
            machine = m.toString();
        }

        @Override
        public void declined(String reason) {
            declined = reason;
        }
    }

    /** Compares with the blessed file (or blesses), failing with the first differing lines. */
    static void check(String name, String actual) throws IOException {
        String resource = "golden/" + name + ".listing";
        if (Boolean.getBoolean("isthmus.bless")) {
            ListingFiles.assertApproved(resource, actual);
            return;
        }
        Path file = DIRECTORY.resolve(name + ".listing");
        assertTrue(Files.exists(file), "no blessed listing " + file + " (bless with scripts/bless-listings.sh)");
        String expected = Files.readString(file);
        if (expected.equals(actual)) return;
        fail("listing of " + name + " changed; review and bless with scripts/bless-listings.sh\n"
                + diff(expected, actual));
    }

    /** The first differing line and a few lines after it, of both texts. */
    static String diff(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int first = 0;
        while (first < e.length && first < a.length && e[first].equals(a[first])) first++;
        assertFalse(first == e.length && first == a.length, "texts differ but no line does");
        String function = "";
        String section = "";
        for (int k = 0; k < Math.min(first + 1, e.length); k++) {
            if (e[k].startsWith(";; ==== ")) function = e[k].substring(3);
            else if (e[k].startsWith(";; ")) section = e[k].substring(3);
        }
        StringBuilder s = new StringBuilder("first difference at line " + (first + 1) + " (" + function + ", "
                + section + "):\n");
        int from = Math.max(0, first - 2);
        for (int k = from; k < Math.min(e.length, first + 6); k++) {
            s.append(k < first ? "  " : "- ").append(e[k]).append('\n');
        }
        for (int k = first; k < Math.min(a.length, first + 6); k++) s.append("+ ").append(a[k]).append('\n');
        return s.toString();
    }
}
