package dev.isthmus.compiler;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.text.Wat;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastAction;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastExpected;
import dev.isthmus.text.script.WastParser;
import dev.isthmus.text.script.WastValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the execution commands of a spec script ({@code assert_return}, {@code assert_trap},
 * {@code assert_exhaustion}, actions) against {@link TestInstance}s; modules the test instance cannot host are
 * skipped with the commands that use them.
 */
final class SpecScriptRunner implements AutoCloseable {
    /** Counts and failure descriptions of one script. */
    record Result(String file, int passed, int failed, int skipped, List<String> failures) {
        @Override
        public String toString() {
            return String.format("%-28s passed %5d  failed %4d  skipped %4d", file, passed, failed, skipped);
        }
    }

    private final CompilerOptions options;
    private final Map<String, TestInstance> named = new HashMap<>();
    private final List<TestInstance> all = new ArrayList<>();
    private final Map<String, TestInstance> registered = new HashMap<>();
    private TestInstance current;

    private static final String SPECTEST = """
            (module
              (func (export "print"))
              (func (export "print_i32") (param i32))
              (func (export "print_i64") (param i64))
              (func (export "print_f32") (param f32))
              (func (export "print_f64") (param f64))
              (func (export "print_i32_f32") (param i32 f32))
              (func (export "print_f64_f64") (param f64 f64))
              (global (export "global_i32") i32 (i32.const 666))
              (global (export "global_i64") i64 (i64.const 666))
              (global (export "global_f32") f32 (f32.const 666.6))
              (global (export "global_f64") f64 (f64.const 666.6))
              (table (export "table") 10 20 funcref)
              (memory (export "memory") 1 2))
            """;
    private boolean currentSkipped;
    private int passed;
    private int failed;
    private int skipped;
    private final List<String> failures = new ArrayList<>();

    SpecScriptRunner(CompilerOptions options) {
        this.options = options;
        TestInstance spectest = new TestInstance(TestInstance.load(Wat.toBinary(SPECTEST)), options);
        all.add(spectest);
        registered.put("spectest", spectest);
    }

    private TestInstance.Provided resolve(dev.isthmus.model.Import imp) {
        TestInstance provider = registered.get(imp.module());
        if (provider == null) return null;
        int index = provider.export(imp.name(), imp.desc().kind());
        return index < 0 ? null : new TestInstance.Provided(provider, index);
    }

    static Result run(Path file, CompilerOptions options) throws IOException {
        try (SpecScriptRunner runner = new SpecScriptRunner(options)) {
            for (WastCommand c : WastParser.parse(Files.readString(file), file.getFileName().toString())) {
                runner.command(c);
            }
            return new Result(file.getFileName().toString(), runner.passed, runner.failed, runner.skipped,
                    runner.failures);
        }
    }

    private void command(WastCommand c) {
        switch (c) {
            case WastCommand.ModuleCommand m -> module(m.name(), m.source(), m.line());
            case WastCommand.AssertReturn ar -> check(ar.line(), ar.action(), ar.expected(), null);
            case WastCommand.AssertTrap at -> check(at.line(), at.action(), null, at.message());
            case WastCommand.AssertExhaustion ae -> check(ae.line(), ae.action(), null, ae.message());
            case WastCommand.ActionCommand ac -> check(ac.line(), ac.action(), null, null);
            case WastCommand.Register r -> {
                TestInstance i = instanceFor(r.moduleName());
                if (i != null) registered.put(r.as(), i);
                else registered.remove(r.as());
            }
            default -> { }
        }
    }

    private void module(String name, ModuleSource source, int line) {
        current = null;
        currentSkipped = true;
        byte[] binary;
        try {
            binary = switch (source) {
                case ModuleSource.Text t -> Wat.toBinary(t.watText());
                case ModuleSource.Binary b -> b.bytes();
                case ModuleSource.Quote q -> Wat.toBinary(Wat.quotedModuleText(q.text()));
            };
        } catch (RuntimeException e) {
            return;
        }
        WasmModule module = TestInstance.load(binary);
        if (TestInstance.unsupported(module) != null) return;
        try {
            current = new TestInstance(module, options, this::resolve);
        } catch (TrapException | IllegalStateException e) {
            return;
        } catch (RuntimeException e) {
            failed++;
            failures.add("line " + line + ": module failed: " + e);
            return;
        }
        currentSkipped = false;
        all.add(current);
        if (name != null) named.put(name, current);
    }

    private TestInstance instanceFor(String moduleName) {
        if (moduleName == null) return currentSkipped ? null : current;
        return named.get(moduleName);
    }

    private void check(int line, WastAction action, List<WastExpected> expected, String trap) {
        String moduleName = switch (action) {
            case WastAction.Invoke i -> i.moduleName();
            case WastAction.Get gt -> gt.moduleName();
        };
        TestInstance instance = instanceFor(moduleName);
        if (instance == null) {
            skipped++;
            return;
        }
        long[] results;
        List<ValType> types;
        try {
            switch (action) {
                case WastAction.Invoke i -> {
                    int f = instance.export(i.export(), ExternKind.FUNC);
                    long[] args = new long[i.args().size()];
                    for (int k = 0; k < args.length; k++) {
                        Long bits = bits(i.args().get(k));
                        if (bits == null) {
                            skipped++;
                            return;
                        }
                        args[k] = bits;
                    }
                    types = instance.resultTypes(f);
                    results = instance.invoke(f, args);
                }
                case WastAction.Get gt -> {
                    int gi = instance.export(gt.export(), ExternKind.GLOBAL);
                    types = List.of(instance.module.globalType(gi).type());
                    long v = instance.global(gi);
                    if (types.getFirst() == ValType.I32 || types.getFirst() == ValType.F32) v &= 0xFFFF_FFFFL;
                    results = new long[] {v};
                }
            }
        } catch (TrapException t) {
            if (trap != null && trap.startsWith(t.kind().message())) passed++;
            else if (trap != null && t.kind().message().startsWith(trap)) passed++;
            else fail(line, "trapped " + t.kind().message() + (trap != null ? ", expected " + trap : ""));
            return;
        } catch (RuntimeException e) {
            fail(line, "failed: " + e);
            return;
        }
        if (trap != null) {
            fail(line, "returned, expected trap " + trap);
            return;
        }
        if (expected == null) {
            passed++;
            return;
        }
        if (expected.size() != results.length) {
            fail(line, "result count " + results.length + ", expected " + expected.size());
            return;
        }
        for (int k = 0; k < results.length; k++) {
            if (!matches(expected.get(k), types.get(k), results[k])) {
                fail(line, "result " + k + " = 0x" + Long.toHexString(results[k]) + ", expected " + expected.get(k));
                return;
            }
        }
        passed++;
    }

    private void fail(int line, String what) {
        failed++;
        failures.add("line " + line + ": " + what);
    }

    private static Long bits(WastValue v) {
        return switch (v) {
            case WastValue.Num n -> n.type() == ValType.I32 || n.type() == ValType.F32 ? n.bits() & 0xFFFF_FFFFL : n.bits();
            case WastValue.RefNull rn -> 0L;
            case WastValue.RefExtern re -> re.id() + 1;
            default -> null;
        };
    }

    private static boolean matches(WastExpected e, ValType type, long bits) {
        return switch (e) {
            case WastExpected.Exact x -> {
                Long want = bits(x.value());
                yield want != null && want == bits;
            }
            case WastExpected.CanonicalNan cn -> type == ValType.F32
                    ? (bits & 0x7FFF_FFFFL) == 0x7FC0_0000L
                    : (bits & Long.MAX_VALUE) == 0x7FF8_0000_0000_0000L;
            case WastExpected.ArithmeticNan an -> type == ValType.F32
                    ? (bits & 0x7FC0_0000L) == 0x7FC0_0000L
                    : (bits & 0x7FF8_0000_0000_0000L) == 0x7FF8_0000_0000_0000L;
            case WastExpected.AnyNull n -> bits == 0;
            case WastExpected.AnyRef r -> bits != 0;
            case WastExpected.Either either -> {
                for (WastExpected alt : either.alternatives()) if (matches(alt, type, bits)) yield true;
                yield false;
            }
            default -> false;
        };
    }

    @Override
    public void close() {
        for (TestInstance i : all) i.close();
    }

    /** Runs the named files of the 2.0 suite (all non-SIMD files without arguments) and prints counts. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("/work/shared/testsuite/wasm-2.0");
        List<Path> files = new ArrayList<>();
        if (args.length == 0) {
            try (var s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".wast") && !p.getFileName().toString().startsWith("simd"))
                        .sorted().forEach(files::add);
            }
        } else {
            for (String a : args) files.add(a.contains("/") ? Path.of(a) : dir.resolve(a + ".wast"));
        }
        int total = 0;
        int totalFailed = 0;
        for (Path f : files) {
            Result r = run(f, CompilerOptions.DEFAULT);
            System.out.println(r);
            for (int i = 0; i < Math.min(5, r.failures().size()); i++) System.out.println("    " + r.failures().get(i));
            total += r.passed();
            totalFailed += r.failed();
        }
        System.out.println("total passed " + total + " failed " + totalFailed);
    }
}
