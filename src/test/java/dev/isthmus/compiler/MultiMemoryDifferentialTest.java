package dev.isthmus.compiler;

import dev.isthmus.Instance;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.Immediate;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.wast.IsthmusFrontEnd;
import dev.isthmus.wast.ModuleLoad;
import dev.isthmus.wast.ModuleLoader;
import dev.isthmus.wast.MultiMemoryScripts;
import dev.isthmus.wast.TestsuiteLocation;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Multiple memories, differentially: one module with three memories of different sizes and maxima, every memory
 * instruction on each of them (scalar and SIMD loads and stores, lane loads and stores, memory.size, memory.grow,
 * memory.fill, memory.init, memory.copy between every pair), driven by one seeded sequence of operations whose
 * addresses cluster at each memory's bounds, run at both tiers in both bounds-check modes: every transcript (each
 * result, or the trap's kind) must be the same, the traps must be "out of bounds memory access", and each memory's
 * final contents must agree. The optimizing tier must compile every function itself (no baseline fallback).
 */
class MultiMemoryDifferentialTest {
    private static final String[] MEMORIES = {"a", "b", "c"};

    /** Three memories: $a (memory 0) 1..4 pages, $b exactly 1 page, $c 2..3 pages; data segments in each. */
    static String module() {
        StringBuilder w = new StringBuilder("""
                (module
                  (memory $a (export "a") 1 4)
                  (memory $b (export "b") 1 1)
                  (memory $c (export "c") 2 3)
                  (data $p "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13")
                  (data (i32.const 8) "memory zero")
                  (data (memory $b) (i32.const 100) "memory one")
                  (data (memory $c) (i32.const 65530) "memory two crosses a page")
                """);
        for (String m : MEMORIES) {
            w.append(("""
                      (func (export "ld8u_M") (param i32) (result i32) (i32.load8_u $M (local.get 0)))
                      (func (export "ld16s_M") (param i32) (result i32) (i32.load16_s $M offset=1 (local.get 0)))
                      (func (export "ld32_M") (param i32) (result i32) (i32.load $M offset=2 (local.get 0)))
                      (func (export "ld64_M") (param i32) (result i64) (i64.load $M offset=5 align=4 (local.get 0)))
                      (func (export "ld32s_M") (param i32) (result i64) (i64.load32_s $M (local.get 0)))
                      (func (export "ldf32_M") (param i32) (result i32)
                        (i32.reinterpret_f32 (f32.load $M offset=3 (local.get 0))))
                      (func (export "ldf64_M") (param i32) (result i64)
                        (i64.reinterpret_f64 (f64.load $M (local.get 0))))
                      (func (export "ldconst_M") (result i32) (i32.load $M offset=65532 (i32.const 0)))
                      (func (export "st8_M") (param i32 i32) (i32.store8 $M (local.get 0) (local.get 1)))
                      (func (export "st16_M") (param i32 i32) (i32.store16 $M offset=1 (local.get 0) (local.get 1)))
                      (func (export "st32_M") (param i32 i32) (i32.store $M offset=7 (local.get 0) (local.get 1)))
                      (func (export "st64_M") (param i32 i64) (i64.store $M (local.get 0) (local.get 1)))
                      (func (export "st32i_M") (param i32 i64) (i64.store32 $M offset=2 (local.get 0) (local.get 1)))
                      (func (export "stf64_M") (param i32 i64)
                        (f64.store $M offset=9 (local.get 0) (f64.reinterpret_i64 (local.get 1))))
                      (func (export "stf32_M") (param i32 i32)
                        (f32.store $M (local.get 0) (f32.reinterpret_i32 (local.get 1))))
                      (func (export "vld_M") (param i32) (result i64)
                        (i64.xor (i64x2.extract_lane 0 (v128.load $M offset=4 (local.get 0)))
                                 (i64.rotl (i64x2.extract_lane 1 (v128.load $M offset=4 (local.get 0))) (i64.const 7))))
                      (func (export "vsplat_M") (param i32) (result i32)
                        (i32x4.extract_lane 3 (v128.load16_splat $M (local.get 0))))
                      (func (export "vext_M") (param i32) (result i64)
                        (i64x2.extract_lane 1 (v128.load32x2_u $M offset=1 (local.get 0))))
                      (func (export "vlane_M") (param i32) (result i32)
                        (i32x4.extract_lane 2 (v128.load32_lane $M offset=2 2 (local.get 0) (v128.const i32x4 1 2 3 4))))
                      (func (export "vst_M") (param i32 i64)
                        (v128.store $M offset=3 (local.get 0) (i64x2.replace_lane 1 (i64x2.splat (local.get 1))
                          (i64.xor (local.get 1) (i64.const -1)))))
                      (func (export "vstlane_M") (param i32 i32)
                        (v128.store16_lane $M 5 (local.get 0) (i16x8.splat (local.get 1))))
                      (func (export "size_M") (result i32) (memory.size $M))
                      (func (export "grow_M") (param i32) (result i32) (memory.grow $M (local.get 0)))
                      (func (export "fill_M") (param i32 i32 i32) (memory.fill $M (local.get 0) (local.get 1) (local.get 2)))
                      (func (export "init_M") (param i32 i32 i32) (memory.init $M $p (local.get 0) (local.get 1) (local.get 2)))
                      (func (export "sum_M") (param $at i32) (param $n i32) (result i64) (local $h i64)
                        (block $done (loop $next
                          (br_if $done (i32.eqz (local.get $n)))
                          (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
                                                 (i64.load8_u $M (local.get $at))))
                          (local.set $at (i32.add (local.get $at) (i32.const 1)))
                          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                          (br $next)))
                        (local.get $h))
                    """).replace("_M", "_" + m).replace("$M", "$" + m));
            for (String from : MEMORIES) {
                w.append("  (func (export \"copy_").append(m).append(from).append("\") (param i32 i32 i32) (memory.copy $")
                        .append(m).append(" $").append(from).append(" (local.get 0) (local.get 1) (local.get 2)))\n");
            }
        }
        return w.append(")\n").toString();
    }

    private static final int[] ADDRESSES = {0, 1, 5, 8, 100, 4093, 65520, 65528, 65532, 65535, 65536, 65540,
            131056, 131070, 131072, 196600, 196608, 262136, 262144, 0x7FFF_FFFF, -16, -1};

    /** One operation: an export and its arguments. */
    private record Op(String name, Object[] args) {
        @Override
        public String toString() {
            return name + java.util.Arrays.toString(args);
        }
    }

    private static List<Op> operations(long seed, int count) {
        Random r = new Random(seed);
        String[] unary = {"ld8u", "ld16s", "ld32", "ld64", "ld32s", "ldf32", "ldf64", "vld", "vsplat", "vext", "vlane"};
        String[] storeI32 = {"st8", "st16", "st32", "stf32", "vstlane"};
        String[] storeI64 = {"st64", "st32i", "stf64", "vst"};
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String m = MEMORIES[r.nextInt(3)];
            int kind = r.nextInt(100);
            if (kind < 30) {
                ops.add(new Op(unary[r.nextInt(unary.length)] + "_" + m, new Object[] {address(r)}));
            } else if (kind < 45) {
                ops.add(new Op(storeI32[r.nextInt(storeI32.length)] + "_" + m, new Object[] {address(r), r.nextInt()}));
            } else if (kind < 58) {
                ops.add(new Op(storeI64[r.nextInt(storeI64.length)] + "_" + m, new Object[] {address(r), r.nextLong()}));
            } else if (kind < 66) {
                ops.add(new Op("fill_" + m, new Object[] {address(r), r.nextInt(256), length(r)}));
            } else if (kind < 80) {
                ops.add(new Op("copy_" + m + MEMORIES[r.nextInt(3)], new Object[] {address(r), address(r), length(r)}));
            } else if (kind < 87) {
                ops.add(new Op("init_" + m, new Object[] {address(r), r.nextInt(24), r.nextInt(24)}));
            } else if (kind < 91) {
                ops.add(new Op("grow_" + m, new Object[] {r.nextInt(3)}));
            } else if (kind < 95) {
                ops.add(new Op("size_" + m, new Object[0]));
            } else if (kind < 97) {
                ops.add(new Op("ldconst_" + m, new Object[0]));
            } else {
                ops.add(new Op("sum_" + m, new Object[] {address(r) & 0x3FFFF, r.nextInt(300)}));
            }
        }
        return ops;
    }

    private static int address(Random r) {
        int base = ADDRESSES[r.nextInt(ADDRESSES.length)];
        return r.nextInt(4) == 0 ? base : base + r.nextInt(33) - 16;
    }

    private static int length(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(17);
            case 1 -> r.nextInt(300);
            case 2 -> 65536;
            default -> r.nextInt(5000);
        };
    }

    /** Runs {@code ops} on a fresh instance; one transcript line per operation, then each memory's checksum. */
    private static List<String> run(Isthmus engine, List<Op> ops, int[] traps) {
        List<String> transcript = new ArrayList<>();
        try (Instance instance = engine.compile(module().getBytes(StandardCharsets.UTF_8)).instantiate()) {
            for (Op op : ops) {
                try {
                    Object[] results = instance.call(op.name(), op.args());
                    transcript.add(op + " = " + java.util.Arrays.toString(results));
                } catch (WasmTrap trap) {
                    assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind(), op + ": " + trap.getMessage());
                    transcript.add(op + " trap " + trap.kind());
                    traps[0]++;
                }
            }
            for (String m : MEMORIES) {
                int bytes = (int) instance.memory(m).byteSize();
                transcript.add(m + ": " + bytes + " bytes, sum " + instance.call("sum_" + m, 0, bytes)[0]);
            }
        }
        return transcript;
    }

    @Test
    void bothTiersInBothBoundsCheckModesAgreeOnEveryOperation() {
        List<Op> ops = operations(0x5EED_13L, 3000);
        Transcripts transcripts = new Transcripts();
        for (Tier tier : Tier.values()) {
            for (BoundsChecks mode : BoundsChecks.values()) {
                int[] traps = new int[1];
                List<String> transcript = run(Isthmus.builder().tier(tier).boundsChecks(mode).build(), ops, traps);
                String name = tier + "/" + mode;
                assertTrue(traps[0] > 100 && traps[0] < ops.size() - 1000, name + ": " + traps[0] + " traps");
                transcripts.add(name, transcript);
            }
        }
    }

    /** The bounds of each memory are its own: the same access traps in one memory and succeeds in a larger one. */
    @Test
    void eachMemoryTrapsAtItsOwnBound() {
        for (Tier tier : Tier.values()) {
            for (BoundsChecks mode : BoundsChecks.values()) {
                Isthmus engine = Isthmus.builder().tier(tier).boundsChecks(mode).build();
                try (Instance i = engine.compile(module().getBytes(StandardCharsets.UTF_8)).instantiate()) {
                    String name = tier + "/" + mode;
                    assertEquals(0x6F6D656D, i.call("ld32_b", 98)[0], name);           // "memo" at 100
                    assertEquals(0x6F777420, i.call("ld32_c", 65534)[0], name);          // " two" at 65536 in $c
                    assertTraps(i, "ld32_b", 65534);                                     // $b has one page
                    assertTraps(i, "ld32_a", 65534);
                    assertTraps(i, "vld_b", 65524);                                      // 65528..65543
                    i.call("vld_c", 65524);
                    assertTraps(i, "copy_bc", 65530, 0, 7);                              // fits $c, not $b
                    i.call("copy_cb", 65530, 100, 6);                                    // into $c from $b
                    assertEquals(0x6F6D656D, i.call("ld32_c", 65528)[0], name);
                    assertEquals(-1, i.call("grow_b", 1)[0], name);                     // maximum 1
                    assertEquals(2, i.call("grow_c", 1)[0], name);
                    assertEquals(1, i.call("size_a")[0], name);
                    assertEquals(3, i.call("size_c")[0], name);
                    i.call("st32_c", 196590, 7);                                         // in the grown page
                    assertTraps(i, "st32_c", 196602, 7);
                    assertTraps(i, "init_b", 65530, 0, 7);
                    i.call("init_c", 196600, 0, 8);
                    assertEquals(0x0807060504030201L, i.call("ld64_c", 196595)[0], name);
                }
            }
        }
    }

    private static void assertTraps(Instance i, String name, Object... args) {
        try {
            Object[] r = i.call(name, args);
            fail(name + java.util.Arrays.toString(args) + " returned " + java.util.Arrays.toString(r));
        } catch (WasmTrap trap) {
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind(), name);
        }
    }

    /** Every function of the module, memory instructions on memories 1 and 2 included, at the optimizing tier. */
    @Test
    void theOptimizingTierCompilesEveryFunctionItself() {
        WasmModule module = Wat.parse(module());
        Validator.validate(module);
        List<String> declined = new ArrayList<>();
        declined(module, "", false, declined);
        assertTrue(declined.isEmpty(), declined.toString());
    }

    /**
     * Every function of the multiple-memory spec scripts' modules that uses a memory other than 0 is compiled by
     * the optimizing tier itself, but for the one reason that applies to memory 0 alike: a static offset of 2^31 - 16
     * or more ("large offset", address0.wast's 12 functions with offset=4294967295, counted for memory 0 in
     * optimizing-fallbacks.txt).
     */
    @Test
    void theOptimizingTierCompilesEveryMultiMemoryFunctionOfTheSpecScripts() throws java.io.IOException {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
        ModuleLoader loader = new ModuleLoader(frontEnd);
        java.nio.file.Path dir = TestsuiteLocation.directory("wasm-3.0");
        List<String> declined = new ArrayList<>();
        int[] checked = new int[1];
        for (String file : MultiMemoryScripts.FILES) {
            String text = java.nio.file.Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            for (WastCommand c : frontEnd.parse(text, file)) {
                ModuleSource source = switch (c) {
                    case WastCommand.ModuleCommand m -> m.source();
                    case WastCommand.ModuleDefinition d -> d.source();
                    default -> null;
                };
                if (source == null || !(loader.load(source) instanceof ModuleLoad.Loaded loaded)) continue;
                checked[0] += declined(loaded.module(), file + ":" + c.line() + " ", true, declined);
            }
        }
        assertTrue(checked[0] > 200, checked[0] + " functions using a memory other than 0");
        declined.removeIf(d -> d.endsWith("not translated: large offset"));
        assertTrue(declined.isEmpty(), declined.toString());
    }

    /**
     * Compiles the defined functions of {@code module} (only those using a memory other than 0 when
     * {@code otherMemoriesOnly}) with the optimizing tier, adding each one it declines to {@code declined}; returns
     * how many it compiled.
     */
    private static int declined(WasmModule module, String where, boolean otherMemoriesOnly, List<String> declined) {
        VmContextLayout vm = VmContextLayout.of(module);
        int count = 0;
        for (int f = module.importedFunctionCount(); f < module.functionCount(); f++) {
            if (otherMemoriesOnly && !usesOtherMemory(module, f)) continue;
            count++;
            int index = f;
            OptimizingCompiler.tryCompile(module, vm, CompilerOptions.DEFAULT, CpuFeatures.host(), f,
                    why -> declined.add(where + "function " + index + ": " + why));
        }
        return count;
    }

    private static boolean usesOtherMemory(WasmModule module, int function) {
        byte[] code = module.codes().get(function - module.importedFunctionCount()).codeUnsafe();
        InstructionReader r = new InstructionReader(new ByteReader(code));
        while (!r.atEnd()) {
            Opcode op = r.next();
            Immediate k = op.immediate();
            if ((k == Immediate.MEMARG || k == Immediate.MEMARG_LANE || k == Immediate.MEMORY
                    || k == Immediate.MEMORY_INIT) && r.memory() != 0) {
                return true;
            }
            if (k == Immediate.MEMORY_COPY && (r.index() != 0 || r.index2() != 0)) return true;
        }
        return false;
    }
}
