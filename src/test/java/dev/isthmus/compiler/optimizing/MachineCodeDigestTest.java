package dev.isthmus.compiler.optimizing;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizing tier's output, pinned: a SHA-256 per input over every defined function's code, entry, relocations
 * and offset tables (declined functions count as such), under a few option sets. Refactorings of the tier that must
 * not change the emitted bytes prove it here. Inputs: the example modules, big.wasm, and some spec-suite modules
 * when the testsuite is present (lines for absent inputs are skipped). Re-bless with
 * {@code -Disthmus.bless=true} (scripts/bless-listings.sh re-blesses it with every listing).
 */
class MachineCodeDigestTest {
    private static final Path FIXTURE = Path.of("src/test/resources/compiler/optimizing-code.sha256");
    private static final String[] SPEC = {"i32", "i64", "f32", "f64", "conversions", "float_exprs", "float_misc",
            "br_table", "call", "call_indirect", "loop", "select", "memory", "address", "int_exprs", "fac",
            "left-to-right", "local_tee", "global", "if", "block", "br_if", "return"};
    private static final CpuFeatures CPU = new CpuFeatures(true, true, true);
    private static final Map<String, CompilerOptions> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("default", CompilerOptions.DEFAULT);
        OPTIONS.put("fp", CompilerOptions.DEFAULT.withFramePointer(true));
        OPTIONS.put("probe", CompilerOptions.DEFAULT.withStackCheck(StackCheck.PROBE));
    }

    /**
     * Compares the digests of a fresh child JVM with the fixture: code embeds canonical type ids, which are
     * process-wide and numbered in the order types are first seen, so only a fresh process gives stable bytes.
     */
    @Test
    void optimizingTierOutputIsUnchanged() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Disthmus.testsuite=" + testsuite(), MachineCodeDigestTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "digest child JVM failed");
        Map<String, String> actual = parse(List.of(output.split("\n")));
        if (Boolean.getBoolean("isthmus.bless") || Boolean.getBoolean("isthmus.digest.update")) {
            Files.writeString(FIXTURE, "# SHA-256 of the optimizing tier's code per input and option set "
                    + "(MachineCodeDigestTest; re-bless with -Disthmus.bless=true or scripts/bless-listings.sh)\n" + output,
                    StandardCharsets.UTF_8);
            return;
        }
        Map<String, String> expected = parse(Files.readAllLines(FIXTURE, StandardCharsets.UTF_8));
        int checked = 0;
        for (var e : actual.entrySet()) {
            String want = expected.get(e.getKey());
            assertTrue(want != null, "no digest for " + e.getKey());
            assertEquals(want, e.getValue(), e.getKey());
            checked++;
        }
        assertTrue(checked >= 6 * OPTIONS.size(), "only " + checked + " digests");
    }

    private static Map<String, String> parse(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int sp = line.lastIndexOf(' ');
            m.put(line.substring(0, sp), line.substring(sp + 1).strip());
        }
        return m;
    }

    /** The child: prints {@code input options digest} lines. */
    public static void main(String[] args) throws Exception {
        Map<String, List<byte[]>> inputs = new LinkedHashMap<>();
        for (String example : new String[] {"ackermann/ackermann.wasm", "ackermann/ackermann-wat.wasm",
                "calls/calls.wasm", "deep/deep.wasm", "fib/fib.wasm", "compile-bench/big.wasm"}) {
            inputs.put(example, List.of(Files.readAllBytes(Path.of("examples", example))));
        }
        Path suite = testsuite().resolve("wasm-2.0");
        for (String name : SPEC) {
            Path file = suite.resolve(name + ".wast");
            if (Files.isRegularFile(file)) inputs.put("spec/" + name, specModules(file));
        }
        StringBuilder out = new StringBuilder();
        for (var e : inputs.entrySet()) {
            for (var o : OPTIONS.entrySet()) {
                out.append(e.getKey()).append(' ').append(o.getKey()).append(' ')
                        .append(digest(e.getValue(), o.getValue())).append('\n');
            }
        }
        System.out.print(out);
        System.out.flush();
    }

    private static String digest(List<byte[]> modules, CompilerOptions options) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] binary : modules) {
            WasmModule m = ModuleDecoder.decode(binary);
            Validator.validate(m);
            VmContextLayout vm = VmContextLayout.of(m);
            for (int i = 0; i < m.functions().size(); i++) {
                CompiledFunction f = OptimizingCompiler.tryCompile(m, vm, options, CPU, m.importedFunctionCount() + i);
                bytes.reset();
                if (f == null) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(f.code().length);
                    out.write(f.code());
                    out.writeInt(f.entry());
                    ints(out, f.relocations());
                    ints(out, f.codeOffsets());
                    ints(out, f.wasmOffsets());
                }
                out.flush();
                sha.update(bytes.toByteArray());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void ints(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) out.writeInt(v);
    }

    /** The valid modules the script defines (text ones converted; binary ones as they are). */
    private static List<byte[]> specModules(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (WastCommand c : WastParser.parse(Files.readString(file), file.getFileName().toString())) {
            if (!(c instanceof WastCommand.ModuleCommand mc)) continue;
            try {
                byte[] b = switch (mc.source()) {
                    case ModuleSource.Binary bin -> bin.bytes();
                    case ModuleSource.Text t -> Wat.toBinary(t.watText());
                    case ModuleSource.Quote q -> Wat.toBinary(q.asModuleText());
                };
                WasmModule m = ModuleDecoder.decode(b);
                Validator.validate(m);
                out.add(b);
            } catch (RuntimeException e) {
                // not a module the decoder accepts: not part of the check
            }
        }
        return out;
    }

    private static Path testsuite() {
        String dir = System.getProperty("isthmus.testsuite");
        if (dir == null) dir = System.getenv("ISTHMUS_TESTSUITE");
        if (dir == null) dir = "../shared/testsuite";
        return Path.of(dir);
    }
}
