package dev.isthmus.fuzz;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.fuzz.ModuleDoubler.Doubling;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.Leb128;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.Tier;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The resource property in CI ({@link ResourceCheck}): an evenly spaced sample of 40 modules of every committed
 * corpus compiles in time and memory proportional to its size, at both tiers, each module under one
 * {@link Doubling} (in turn); the doublings make valid
 * modules that are twice as large where they should be; and the check finds superlinear shapes: quadratic steps
 * injected into the measured cost in each dimension, which the real compiler alone passes. The real one it found
 * (nested legacy {@code try} blocks in the baseline tier) is fixed and checked here.
 */
class ResourcePropertiesTest {
    static final int SAMPLE = 40;

    @ParameterizedTest
    @ValueSource(strings = {"corpus", "simd-corpus", "wasm2-corpus", "multimemory-corpus", "reftypes-corpus",
            "shapes-corpus", "eh-corpus", "memory64-corpus"})
    void corpusSampleCompilesInProportion(String corpus) {
        ResourceCheck.Worst worst = new ResourceCheck.Worst();
        List<String> findings = new ArrayList<>();
        List<FuzzCorpus.Entry> sample = VariantMatrixTest.sampleOf(FuzzCorpus.entries(corpus), SAMPLE);
        for (int i = 0; i < sample.size(); i++) {
            FuzzCorpus.Entry entry = sample.get(i);
            // one doubling per module, in turn (all three on every module: the campaign, ResourceCheck.main)
            ResourceCheck check = new ResourceCheck(ResourceCheck.REAL, List.of(Doubling.values()[i % 3]),
                    List.of(Tier.BASELINE, Tier.OPTIMIZING));
            ResourceCheck.Result result = check.check(entry.wasm());
            for (ResourceCheck.Ratio r : result.ratios()) worst.add(entry.name(), r);
            for (String problem : result.problems()) findings.add(entry.name() + ".wasm: " + problem);
        }
        System.out.println(corpus + ":");
        worst.print();
        if (!findings.isEmpty()) fail(findings.size() + " resource findings:\n  " + String.join("\n  ", findings));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simd-corpus", "wasm2-corpus", "multimemory-corpus", "reftypes-corpus",
            "shapes-corpus", "eh-corpus", "memory64-corpus"})
    void doublingsAreValidAndTwiceAsLarge(String corpus) {
        for (FuzzCorpus.Entry entry : VariantMatrixTest.sampleOf(FuzzCorpus.entries(corpus), 10)) {
            WasmModule m = ModuleDecoder.decode(entry.wasm());
            for (Doubling d : Doubling.values()) {
                WasmModule m2 = ModuleDecoder.decode(ModuleDoubler.doubled(entry.wasm(), d));
                Validator.validate(m2);
                String what = entry.name() + " " + d;
                if (d == Doubling.FUNCTIONS) {
                    assertEquals(2 * m.functions().size(), m2.functions().size(), what);
                    assertEquals(2 * m.codeBytes(), m2.codeBytes(), what);
                } else {
                    assertEquals(m.functions().size(), m2.functions().size(), what);
                    for (int i = 0; i < m.codes().size(); i++) {
                        FunctionBody b = m.codes().get(i), b2 = m2.codes().get(i);
                        int n = b.code().length, n2 = b2.code().length;
                        int results = m.functionType(m.importedFunctionCount() + i).results().size();
                        // block, its type (up to 6 bytes), a drop per result
                        assertTrue(n2 >= 2 * n + 2 && n2 <= 2 * n + 7 + results, what + " body " + i + ": " + n
                                + " -> " + n2);
                        int depth = maxDepth(b), depth2 = maxDepth(b2);
                        assertTrue(d == Doubling.NESTING ? depth2 == 2 * depth + 1 : depth2 == depth + 1,
                                what + " body " + i + ": depth " + depth + " -> " + depth2);
                    }
                }
            }
        }
    }

    /**
     * A real superlinear shape this check found (NESTING doubling of eh-corpus/0026, then this reduction): the
     * baseline tier's legacy {@code try} copied every open block for its deferred catch blocks (ControlFlow
     * .legacyCatch), so n nested tries cost O(n²): 400 nested ones -> 801 allocated 3.83× (a finding), 8,000 nested
     * ones 6.0 GB. The deferred catch blocks now keep the frame stack's top (frames are shared, never changed once
     * covered): linear at both tiers, nested {@code try ... catch_all} and {@code try ... delegate} alike.
     */
    @Test
    void nestedLegacyTriesCompileInLinearTimeAndMemory() {
        ResourceCheck check = new ResourceCheck(ResourceCheck.REAL, List.of(Doubling.NESTING),
                List.of(Tier.BASELINE, Tier.OPTIMIZING));
        for (byte[] wasm : List.of(
                nested(new byte[] {0x06, 0x40}, new byte[] {0x19, 0x0B}, 400),          // try ... catch_all end
                nested(new byte[] {0x06, 0x40}, new byte[] {0x18, 0x00}, 400))) {       // try ... delegate 0
            ResourceCheck.Result result = check.check(wasm);
            result.ratios().forEach(System.out::println);
            assertTrue(result.findings().isEmpty(), result.problems().toString());
        }
    }

    /**
     * Quadratic steps injected into the measured cost (the real compile plus arrays allocated in proportion to the
     * square of a dimension): each is found by the doublings of its dimension, and only by them.
     */
    @Test
    void findsAnInjectedQuadraticStepInEachDimension() {
        byte[] nestedBlocks = nested(new byte[] {0x02, 0x40}, new byte[] {0x0B}, 1500);
        byte[] manyFunctions = functions(1500);
        // the real compiler alone: linear in every dimension on both shapes
        ResourceCheck real = new ResourceCheck();
        for (byte[] wasm : List.of(nestedBlocks, manyFunctions)) {
            ResourceCheck.Result result = real.check(wasm);
            assertTrue(result.findings().isEmpty(), result.problems().toString());
        }
        // per instruction, an array as long as the nesting depth (a control stack copied at every instruction)
        assertFound(injected(ResourcePropertiesTest::depthSum), nestedBlocks, Doubling.NESTING);
        // per function, arrays as long as 4 × the function count (a dense function-by-function table)
        assertFound(injected(m -> 4L * m.functions().size() * m.functions().size()), manyFunctions,
                Doubling.FUNCTIONS);
        // arrays of codeBytes² / 64 longs (a table over all pairs of instructions): every doubling doubles the code
        assertFound(injected(m -> m.codeBytes() * m.codeBytes() / 64), nestedBlocks, Doubling.values());
    }

    private static void assertFound(ResourceCheck.Compiler compiler, byte[] wasm, Doubling... found) {
        ResourceCheck check = new ResourceCheck(compiler, List.of(Doubling.values()), List.of(Tier.BASELINE));
        for (ResourceCheck.Ratio r : check.check(wasm).ratios()) {
            System.out.println("injected: " + r);
            boolean expected = List.of(found).contains(r.doubling());
            assertEquals(expected, r.allocation() > ResourceCheck.MAX_ALLOCATION_RATIO, r.toString());
        }
    }

    private static volatile long sink;

    /** The real cost plus {@code longs(module)} longs allocated in arrays of at most 4,096. */
    private static ResourceCheck.Compiler injected(ToLongFunction<WasmModule> longs) {
        return (wasm, tier) -> {
            long allocated = ResourceCheck.allocatedBytes();
            long cpu = ResourceCheck.cpuNanos();
            ResourceCheck.REAL.compile(wasm, tier);
            long n = longs.applyAsLong(ModuleDecoder.decode(wasm));
            long sum = 0;
            for (long left = n; left > 0; left -= 4096) {
                long[] step = new long[(int) Math.min(left, 4096)];
                step[step.length - 1] = left;
                sum += step[step.length - 1];
            }
            sink = sum;
            return new ResourceCheck.Cost(ResourceCheck.allocatedBytes() - allocated, ResourceCheck.cpuNanos() - cpu);
        };
    }

    /** The sum over every instruction of every body of its nesting depth. */
    private static long depthSum(WasmModule module) {
        long sum = 0;
        for (FunctionBody body : module.codes()) {
            byte[] code = body.code();
            InstructionReader r = new InstructionReader(new ByteReader(code, 0, code.length, 0, "unexpected end"));
            int depth = 0;
            while (!r.atEnd()) {
                switch (r.next()) {
                    case BLOCK, LOOP, IF, TRY, TRY_TABLE -> depth++;
                    case END, DELEGATE -> depth--;
                    default -> { }
                }
                sum += Math.max(depth, 0);
            }
        }
        return sum;
    }

    /** The deepest nesting of a body's blocks. */
    private static int maxDepth(FunctionBody body) {
        byte[] code = body.code();
        InstructionReader r = new InstructionReader(new ByteReader(code, 0, code.length, 0, "unexpected end"));
        int depth = 0, max = 0;
        while (!r.atEnd()) {
            switch (r.next()) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> max = Math.max(max, ++depth);
                case END, DELEGATE -> depth--;
                default -> { }
            }
        }
        return max;
    }

    // ---------------------------------------------------------------- shapes, in the binary format

    /** One function {@code [] -> []}: n times {@code open}, a nop, n times {@code close}. */
    static byte[] nested(byte[] open, byte[] close, int n) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        for (int i = 0; i < n; i++) body.writeBytes(open);
        body.write(0x01);
        for (int i = 0; i < n; i++) body.writeBytes(close);
        body.write(0x0B);
        return module(1, body.toByteArray());
    }

    /** n functions {@code [] -> []} calling the next one. */
    static byte[] functions(int n) {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0);
            body.write(0x10);
            body.writeBytes(Leb128.encodeUnsigned((i + 1) % n));
            body.write(0x0B);
            bodies.add(body.toByteArray());
        }
        return module(n, bodies.toArray(byte[][]::new));
    }

    private static byte[] module(int count, byte[]... bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(out, 1, new byte[] {1, 0x60, 0, 0});
        ByteArrayOutputStream funcs = new ByteArrayOutputStream();
        funcs.writeBytes(Leb128.encodeUnsigned(count));
        for (int i = 0; i < count; i++) funcs.write(0);
        section(out, 3, funcs.toByteArray());
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes(Leb128.encodeUnsigned(count));
        for (int i = 0; i < count; i++) {
            byte[] body = bodies[bodies.length == 1 ? 0 : i];
            code.writeBytes(Leb128.encodeUnsigned(body.length));
            code.writeBytes(body);
        }
        section(out, 10, code.toByteArray());
        return out.toByteArray();
    }

    private static void section(ByteArrayOutputStream out, int id, byte[] payload) {
        out.write(id);
        out.writeBytes(Leb128.encodeUnsigned(payload.length));
        out.writeBytes(payload);
    }
}
