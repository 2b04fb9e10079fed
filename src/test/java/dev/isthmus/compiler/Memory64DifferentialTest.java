package dev.isthmus.compiler;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Memory64 against memory32, differentially: the same module with both memories of address type i32 and of i64
 * (memory 0 through the pinned base, memory 1 through the vmctx), every memory instruction (scalar and SIMD loads and
 * stores at several offsets, neighbouring accesses in one block, which the optimizing tier checks once, memory.size,
 * memory.grow, memory.fill, memory.copy, memory.init), driven by one seeded sequence of operations whose addresses
 * cluster at the memories' bounds, at both tiers in both bounds-check modes: every transcript must be the same as
 * memory32's (addresses below 2^32 mean the same in both), traps must be "out of bounds memory access", and the
 * memories' final contents must agree. Then memory64 alone: indices and offsets at and beyond 2^32, and sums that
 * wrap past 2^64, trap in every configuration.
 */
class Memory64DifferentialTest {
    private static final String[] MEMORIES = {"a", "b"};

    /** Memory $a (memory 0) 1..4 pages, $b (memory 1) exactly 1 page, of address type {@code at}. */
    static String module(String at) {
        String idx = at;                                       // the type of addresses, sizes and copy lengths
        StringBuilder w = new StringBuilder("""
                (module
                  (memory $a (export "a") AT 1 4)
                  (memory $b (export "b") AT 1 1)
                  (data $p "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13")
                  (data (AT.const 8) "memory zero")
                  (data (memory $b) (AT.const 65521) "ends at the end")
                """.replace("AT", at));
        for (String m : MEMORIES) {
            w.append("""
                      (func (export "ld8u_M") (param IDX) (result i32) (i32.load8_u $M (local.get 0)))
                      (func (export "ld16s_M") (param IDX) (result i32) (i32.load16_s $M offset=1 (local.get 0)))
                      (func (export "ld32_M") (param IDX) (result i32) (i32.load $M offset=2 (local.get 0)))
                      (func (export "ld64_M") (param IDX) (result i64) (i64.load $M offset=5 align=4 (local.get 0)))
                      (func (export "ld32s_M") (param IDX) (result i64) (i64.load32_s $M (local.get 0)))
                      (func (export "ldf32_M") (param IDX) (result i32)
                        (i32.reinterpret_f32 (f32.load $M offset=3 (local.get 0))))
                      (func (export "ldf64_M") (param IDX) (result i64)
                        (i64.reinterpret_f64 (f64.load $M (local.get 0))))
                      (func (export "ldfar_M") (param IDX) (result i32) (i32.load $M offset=65532 (local.get 0)))
                      (func (export "ldconst_M") (result i32) (i32.load $M offset=65532 (IDX.const 0)))
                      (func (export "near_M") (param IDX) (result i64)
                        (i64.add (i64.add (i64.load8_u $M (local.get 0))
                                          (i64.load16_u $M (IDX.add (local.get 0) (IDX.const 1))))
                                 (i64.add (i64.load $M offset=3 (IDX.add (local.get 0) (IDX.const 8)))
                                          (i64.load32_u $M (local.get 0)))))
                      (func (export "st8_M") (param IDX i32) (i32.store8 $M (local.get 0) (local.get 1)))
                      (func (export "st16_M") (param IDX i32) (i32.store16 $M offset=1 (local.get 0) (local.get 1)))
                      (func (export "st32_M") (param IDX i32) (i32.store $M offset=7 (local.get 0) (local.get 1)))
                      (func (export "st64_M") (param IDX i64) (i64.store $M (local.get 0) (local.get 1)))
                      (func (export "st32i_M") (param IDX i64) (i64.store32 $M offset=2 (local.get 0) (local.get 1)))
                      (func (export "stf64_M") (param IDX i64)
                        (f64.store $M offset=9 (local.get 0) (f64.reinterpret_i64 (local.get 1))))
                      (func (export "stnear_M") (param IDX i32)
                        (i32.store8 $M (local.get 0) (local.get 1))
                        (i32.store $M offset=2 (IDX.add (local.get 0) (IDX.const 4)) (local.get 1)))
                      (func (export "vld_M") (param IDX) (result i64)
                        (i64.xor (i64x2.extract_lane 0 (v128.load $M offset=4 (local.get 0)))
                                 (i64x2.extract_lane 1 (v128.load $M offset=4 (local.get 0)))))
                      (func (export "vst_M") (param IDX i64)
                        (v128.store $M offset=3 (local.get 0) (i64x2.splat (local.get 1))))
                      (func (export "size_M") (result IDX) (memory.size $M))
                      (func (export "grow_M") (param IDX) (result IDX) (memory.grow $M (local.get 0)))
                      (func (export "fill_M") (param IDX i32 IDX) (memory.fill $M (local.get 0) (local.get 1) (local.get 2)))
                      (func (export "init_M") (param IDX i32 i32) (memory.init $M $p (local.get 0) (local.get 1) (local.get 2)))
                      (func (export "sum_M") (param $at IDX) (param $n IDX) (result i64) (local $h i64)
                        (block $done (loop $next
                          (br_if $done (IDX.eqz (local.get $n)))
                          (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
                                                 (i64.load8_u $M (local.get $at))))
                          (local.set $at (IDX.add (local.get $at) (IDX.const 1)))
                          (local.set $n (IDX.sub (local.get $n) (IDX.const 1)))
                          (br $next)))
                        (local.get $h))
                    """.replace("_M", "_" + m).replace("$M", "$" + m).replace("IDX", idx));
            for (String from : MEMORIES) {
                w.append("  (func (export \"copy_").append(m).append(from).append("\") (param ").append(idx)
                        .append(' ').append(idx).append(' ').append(idx).append(") (memory.copy $").append(m)
                        .append(" $").append(from).append(" (local.get 0) (local.get 1) (local.get 2)))\n");
            }
        }
        return w.append(")\n").toString();
    }

    private static final long[] ADDRESSES = {0, 1, 5, 8, 100, 4093, 65520, 65528, 65532, 65535, 65536, 65540,
            131056, 131070, 131072, 196600, 196608, 262136, 262144, 0x7FFF_FFFFL, 0xFFFF_FFF0L, 0xFFFF_FFFFL};

    /** One operation: an export and its arguments (addresses as longs; int for the memory32 module). */
    private record Op(String name, long[] args, boolean[] address) {
        Object[] arguments(boolean memory64) {
            Object[] out = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                out[i] = address[i] ? (memory64 ? (Object) args[i] : (Object) (int) args[i]) : argument(i);
            }
            return out;
        }

        private Object argument(int i) {
            // the value operands: st64/st32i/stf64/vst take an i64, the others an i32
            return name.startsWith("st64") || name.startsWith("st32i") || name.startsWith("stf64")
                    || name.startsWith("vst") ? (Object) args[i] : (Object) (int) args[i];
        }

        @Override
        public String toString() {
            return name + Arrays.toString(args);
        }
    }

    private static Op op(String name, long[] args, boolean... address) {
        return new Op(name, args, address);
    }

    private static List<Op> operations(long seed, int count) {
        Random r = new Random(seed);
        String[] unary = {"ld8u", "ld16s", "ld32", "ld64", "ld32s", "ldf32", "ldf64", "ldfar", "near", "vld"};
        String[] storeI32 = {"st8", "st16", "st32", "stnear"};
        String[] storeI64 = {"st64", "st32i", "stf64", "vst"};
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String m = MEMORIES[r.nextInt(MEMORIES.length)];
            int kind = r.nextInt(100);
            if (kind < 32) {
                ops.add(op(unary[r.nextInt(unary.length)] + "_" + m, new long[] {address(r)}, true));
            } else if (kind < 48) {
                ops.add(op(storeI32[r.nextInt(storeI32.length)] + "_" + m, new long[] {address(r), r.nextInt()},
                        true, false));
            } else if (kind < 62) {
                ops.add(op(storeI64[r.nextInt(storeI64.length)] + "_" + m, new long[] {address(r), r.nextLong()},
                        true, false));
            } else if (kind < 70) {
                ops.add(op("fill_" + m, new long[] {address(r), r.nextInt(256), length(r)}, true, false, true));
            } else if (kind < 82) {
                ops.add(op("copy_" + m + MEMORIES[r.nextInt(MEMORIES.length)],
                        new long[] {address(r), address(r), length(r)}, true, true, true));
            } else if (kind < 88) {
                ops.add(op("init_" + m, new long[] {address(r), r.nextInt(24), r.nextInt(24)}, true, false, false));
            } else if (kind < 92) {
                ops.add(op("grow_" + m, new long[] {r.nextInt(3)}, true));
            } else if (kind < 95) {
                ops.add(op("size_" + m, new long[0]));
            } else if (kind < 97) {
                ops.add(op("ldconst_" + m, new long[0]));
            } else {
                ops.add(op("sum_" + m, new long[] {address(r) & 0x3FFFF, r.nextInt(300)}, true, true));
            }
        }
        return ops;
    }

    /** An address below 2^32 (where memory32 and memory64 mean the same), often near a bound. */
    private static long address(Random r) {
        long base = ADDRESSES[r.nextInt(ADDRESSES.length)];
        long a = r.nextInt(4) == 0 ? base : base + r.nextInt(33) - 16;
        return a & 0xFFFF_FFFFL;
    }

    private static long length(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(17);
            case 1 -> r.nextInt(300);
            case 2 -> 65536;
            default -> r.nextInt(5000);
        };
    }

    /** A result as the same text for both address types (sizes and grows are i32 or i64). */
    private static String text(Object[] results) {
        StringBuilder b = new StringBuilder("[");
        for (Object o : results) b.append(b.length() > 1 ? ", " : "").append(((Number) o).longValue());
        return b.append(']').toString();
    }

    /** Runs {@code ops} on a fresh instance; one transcript line per operation, then each memory's checksum. */
    private static List<String> run(Isthmus engine, boolean memory64, List<Op> ops, int[] traps) {
        List<String> transcript = new ArrayList<>();
        String text = module(memory64 ? "i64" : "i32");
        try (Instance instance = engine.compile(text.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            for (String m : MEMORIES) assertEquals(memory64, instance.memory(m).is64(), m);
            for (Op op : ops) {
                try {
                    transcript.add(op + " = " + text(instance.call(op.name(), op.arguments(memory64))));
                } catch (WasmTrap trap) {
                    assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind(), op + ": " + trap.getMessage());
                    transcript.add(op + " trap " + trap.kind());
                    traps[0]++;
                }
            }
            for (String m : MEMORIES) {
                long bytes = instance.memory(m).byteSize();
                Object[] sum = memory64 ? instance.call("sum_" + m, 0L, bytes) : instance.call("sum_" + m, 0, (int) bytes);
                transcript.add(m + ": " + bytes + " bytes, sum " + text(sum));
            }
        }
        return transcript;
    }

    @Test
    void memory64AgreesWithMemory32AtBothTiersInBothBoundsCheckModes() {
        List<Op> ops = operations(0x64_5EEDL, 3000);
        Transcripts transcripts = new Transcripts();
        for (boolean memory64 : new boolean[] {false, true}) {
            for (Tier tier : Tier.values()) {
                for (BoundsChecks mode : BoundsChecks.values()) {
                    int[] traps = new int[1];
                    List<String> transcript = run(Isthmus.builder().tier(tier).boundsChecks(mode).build(), memory64,
                            ops, traps);
                    String name = (memory64 ? "memory64/" : "memory32/") + tier + "/" + mode;
                    assertTrue(traps[0] > 100 && traps[0] < ops.size() - 1000, name + ": " + traps[0] + " traps");
                    transcripts.add(name, transcript);
                }
            }
        }
    }

    /** Indices, offsets and sums beyond what memory32 can express: each access traps, nothing is written. */
    @Test
    void memory64IndicesAndOffsetsBeyond4GiBTrap() {
        String text = """
                (module
                  (memory (export "m") i64 1 2)
                  (func (export "ld") (param i64) (result i32) (i32.load (local.get 0)))
                  (func (export "ld4g") (param i64) (result i32) (i32.load offset=0x1_0000_0000 (local.get 0)))
                  (func (export "ldmax") (param i64) (result i32) (i32.load offset=0xffff_ffff_ffff_fff0 (local.get 0)))
                  (func (export "ldwrap") (result i32) (i32.load offset=0xffff_ffff_ffff_ffff (i64.const 1)))
                  (func (export "st") (param i64 i32) (i32.store offset=3 (local.get 0) (local.get 1)))
                  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
                  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
                  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
                  (func (export "sum") (result i64) (local $i i64) (local $h i64)
                    (block $d (loop $l
                      (br_if $d (i64.eq (local.get $i) (i64.const 65536)))
                      (local.set $h (i64.add (local.get $h) (i64.load8_u (local.get $i))))
                      (local.set $i (i64.add (local.get $i) (i64.const 1)))
                      (br $l)))
                    (local.get $h)))
                """;
        long[] beyond = {0x1_0000_0000L, 0x1_0000_0000L - 2, 65533, 65536, 1L << 40, Long.MAX_VALUE, -1L, -4L,
                0xFFFF_FFFF_FFFF_0000L};
        for (Tier tier : Tier.values()) {
            for (BoundsChecks mode : BoundsChecks.values()) {
                String name = tier + "/" + mode;
                try (Instance instance = Isthmus.builder().tier(tier).boundsChecks(mode).build()
                        .compile(text.getBytes(StandardCharsets.UTF_8)).instantiate()) {
                    for (long at : beyond) {
                        traps(name + " ld " + at, () -> instance.call("ld", at));
                        traps(name + " ld4g " + at, () -> instance.call("ld4g", at));
                        traps(name + " ldmax " + at, () -> instance.call("ldmax", at));
                        traps(name + " st " + at, () -> instance.call("st", at, 7));
                        traps(name + " fill " + at, () -> instance.call("fill", at, 9, 4L));
                        traps(name + " copy " + at, () -> instance.call("copy", 0L, at, 4L));
                        traps(name + " copy to " + at, () -> instance.call("copy", at, 0L, 4L));
                    }
                    traps(name + " ldwrap", () -> instance.call("ldwrap"));
                    traps(name + " ld4g 0", () -> instance.call("ld4g", 0L));
                    traps(name + " fill wraps", () -> instance.call("fill", 16L, 9, -8L));
                    assertEquals(0L, ((Number) instance.call("sum")[0]).longValue(), name + ": nothing written");
                    assertEquals(-1L, instance.call("grow", 2L)[0], name);
                    assertEquals(-1L, instance.call("grow", Long.MIN_VALUE)[0], name);
                    assertEquals(1L, instance.call("grow", 1L)[0], name);
                    assertEquals(0, instance.call("ld", 131068L)[0], name);
                    traps(name + " ld past the grown end", () -> instance.call("ld", 131069L));
                }
            }
        }
    }

    private interface Call {
        Object[] call();
    }

    private static void traps(String what, Call call) {
        try {
            Object[] r = call.call();
            fail(what + ": returned " + Arrays.toString(r) + " instead of trapping");
        } catch (WasmTrap trap) {
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind(), what + ": " + trap.getMessage());
        }
    }
}
