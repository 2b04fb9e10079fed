package dev.isthmus.compiler.optimizing;

import dev.isthmus.compiler.optimizing.layout.BranchPrediction;
import dev.isthmus.compiler.optimizing.layout.LoopRotation;
import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.options.Tier;
import dev.isthmus.compiler.optimizing.isel.MDetail;
import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;
import dev.isthmus.x64.AluOp;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.validate.Validator;
import dev.isthmus.x64.Cond;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block layout of the optimizing tier: {@link BranchPrediction}'s fall-through choices and {@link LoopRotation} on
 * synthetic blocks, the code they give deep and fib, and results of rotated loops whose back edges carry parallel
 * moves.
 */
class BlockLayoutTest {
    // ---------------------------------------------------------------- synthetic blocks

    /** An instruction of operation {@code op} (registers and details are irrelevant to the layout). */
    private static MInstr op(MOp op) {
        MDetail detail = switch (op) {
            case MOV -> MDetail.Move.COPY;
            case ALU -> new MDetail.Alu(AluOp.ADD, true);
            case CALL -> new MDetail.DirectCall(0);
            case PMOV -> new MDetail.ParallelMove(new MDetail.Source[0]);
            default -> null;
        };
        return new MInstr(op, false, new int[0], new int[0], 0, detail, -1);
    }

    private static MInstr jcc(Cond c, int taken, int notTaken) {
        return new MInstr(MOp.JCC, false, new int[0], new int[0], 0, new MDetail.Branch(c, taken, notTaken), -1);
    }

    private static MInstr jmp(int target) {
        return new MInstr(MOp.JMP, false, new int[0], new int[0], 0, new MDetail.Jump(target), -1);
    }

    /** Blocks as lists, successors read from each block's last instruction. */
    private static int[] predict(List<List<MInstr>> blocks) {
        return BranchPrediction.fallThroughs(blocks, successors(blocks), 0);
    }

    private static int[][] successors(List<List<MInstr>> blocks) {
        int[][] succ = new int[blocks.size()][];
        for (int b = 0; b < succ.length; b++) {
            MInstr last = blocks.get(b).get(blocks.get(b).size() - 1);
            succ[b] = last.targets();
        }
        return succ;
    }

    @Test
    void equalsZeroIsPredictedFalse() {
        List<List<MInstr>> blocks = List.of(
                List.of(op(MOp.TEST), jcc(Cond.E, 1, 2)),
                List.of(op(MOp.MOVI), jmp(3)),
                List.of(op(MOp.ALU), jmp(3)),
                List.of(op(MOp.RET)));
        assertEquals(2, predict(blocks)[0]);
    }

    @Test
    void notZeroIsPredictedTrue() {
        List<List<MInstr>> blocks = List.of(
                List.of(op(MOp.TEST), jcc(Cond.NE, 1, 2)),
                List.of(op(MOp.MOVI), jmp(3)),
                List.of(op(MOp.ALU), jmp(3)),
                List.of(op(MOp.RET)));
        assertEquals(1, predict(blocks)[0]);
    }

    @Test
    void shortReturnIsColdBesideACall() {
        List<List<MInstr>> thenReturns = List.of(
                List.of(op(MOp.CMPI), jcc(Cond.L, 1, 2)),
                List.of(op(MOp.MOV), op(MOp.RET)),
                List.of(op(MOp.MOV), op(MOp.CALL), op(MOp.RET)));
        assertEquals(2, predict(thenReturns)[0]);
        List<List<MInstr>> elseReturns = List.of(
                List.of(op(MOp.CMPI), jcc(Cond.L, 1, 2)),
                List.of(op(MOp.CALL), op(MOp.RET)),
                List.of(op(MOp.MOV), op(MOp.RET)));
        assertEquals(1, predict(elseReturns)[0]);
    }

    /** fib's shape: the early return before a loop (reached through a preheader jump) is cold. */
    @Test
    void shortReturnIsColdBesideALoop() {
        List<List<MInstr>> blocks = List.of(
                List.of(op(MOp.CMPI), jcc(Cond.L, 1, 2)),
                List.of(op(MOp.MOV), op(MOp.RET)),
                List.of(op(MOp.PMOV), jmp(3)),                // preheader
                List.of(op(MOp.ALU), op(MOp.CMPI), jcc(Cond.A, 4, 5)),
                List.of(op(MOp.PMOV), jmp(3)),                // latch
                List.of(op(MOp.ALU), op(MOp.RET)));
        int[] preferred = predict(blocks);
        assertEquals(2, preferred[0]);
        assertEquals(4, preferred[3]); // the exit returns and the latch leads to the loop: stay in the loop
    }

    /** The return rule needs a hot alternative; the zero rule then decides; without either, no preference. */
    @Test
    void neitherRuleLeavesTheDefault() {
        List<List<MInstr>> plain = List.of(
                List.of(op(MOp.CMPI), jcc(Cond.L, 1, 2)),
                List.of(op(MOp.MOV), op(MOp.RET)),
                List.of(op(MOp.ALU), op(MOp.RET)));
        assertEquals(-1, predict(plain)[0]);
        List<List<MInstr>> longReturn = new ArrayList<>();
        longReturn.add(List.of(op(MOp.CMPI), jcc(Cond.L, 1, 2)));
        List<MInstr> big = new ArrayList<>();
        for (int k = 0; k < 12; k++) big.add(op(MOp.ALU));
        big.add(op(MOp.RET));
        longReturn.add(big);
        longReturn.add(List.of(op(MOp.CALL), op(MOp.RET)));
        assertEquals(-1, predict(longReturn)[0]);
    }

    @Test
    void latchMovesInFrontOfItsHeader() {
        List<List<MInstr>> blocks = List.of(
                List.of(op(MOp.MOVI), jmp(1)),
                List.of(op(MOp.CALL), op(MOp.CMPI), jcc(Cond.A, 2, 3)),
                List.of(op(MOp.PMOV), jmp(1)),
                List.of(op(MOp.RET)));
        int[] order = {0, 1, 2, 3};
        assertArrayEquals(new int[] {0, 2, 1, 3}, LoopRotation.rotate(order, blocks, successors(blocks)));
    }

    @Test
    void noRotationWithoutTheShape() {
        // the header is the entry block: nothing may precede it
        List<List<MInstr>> entryLoop = List.of(
                List.of(op(MOp.CALL), op(MOp.CMPI), jcc(Cond.A, 1, 2)),
                List.of(op(MOp.PMOV), jmp(0)),
                List.of(op(MOp.RET)));
        int[] order = {0, 1, 2};
        assertSame(order, LoopRotation.rotate(order, entryLoop, successors(entryLoop)));
        // the exit does not follow the latch: rotating would cost the test block a jump
        List<List<MInstr>> exitElsewhere = List.of(
                List.of(op(MOp.MOVI), jmp(1)),
                List.of(op(MOp.CMPI), jcc(Cond.A, 2, 3)),
                List.of(op(MOp.PMOV), jmp(1)),
                List.of(op(MOp.RET)),
                List.of(op(MOp.RET)));
        int[] order2 = {0, 1, 2, 4, 3};
        assertSame(order2, LoopRotation.rotate(order2, exitElsewhere, successors(exitElsewhere)));
    }

    // ---------------------------------------------------------------- compiled code

    private static String listing(String example) throws Exception {
        WasmModule m = ModuleDecoder.decode(Files.readAllBytes(Path.of("examples", example, example + ".wasm")));
        Validator.validate(m);
        MachineCode code = ModuleCompiler.compile(m, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
        try (Disassembler d = Disassembler.open()) {
            return d.listing(Arrays.copyOfRange(code.code(), code.functionOffset(0), code.functionEnd(0)), 0);
        }
    }

    /** deep: {@code n == 0} predicted false, so the recursive path falls through and the base case is jumped to. */
    @Test
    void deepFallsThroughToTheRecursion() throws Exception {
        String listing = listing("deep");
        int test = listing.indexOf("test ");
        int jz = listing.indexOf("jz ");
        int call = listing.indexOf("call ");
        int ret = listing.indexOf("ret");
        assertTrue(test >= 0 && jz > test && call > jz && ret > call, listing);
    }

    /** fib: the loop ends in a backward {@code ja} to the latch's move, entered by one jump past it. */
    @Test
    void fibLoopEndsInABackwardConditionalBranch() throws Exception {
        String listing = listing("fib");
        int jl = listing.indexOf("jl ");
        int backward = listing.indexOf("jnbe ");
        int call = listing.indexOf("call ");
        assertTrue(jl >= 0 && call > jl && backward > call, listing);
        assertTrue(!listing.substring(call).contains("jmp "), listing); // no jump left inside the loop
    }

    // ---------------------------------------------------------------- results

    private static final String LOOPS = """
            (module
              (func $deep (export "deep") (param i32) (result i32)
                (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
                (i32.add (i32.shr_s (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)) (local.get 0)))
              (func $fib (export "fib") (param i32) (result i32) (local i32)
                (if (i32.lt_s (local.get 0) (i32.const 2)) (then (return (local.get 0))))
                (loop $l
                  (local.set 1 (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (local.get 1)))
                  (i32.gt_u (local.get 0) (i32.const 3))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 2)))
                  (br_if $l))
                (i32.add (local.get 0) (local.get 1)))
              ;; the back edge swaps and rotates three values: a parallel move with a cycle on the rotated latch
              (func (export "rotate3") (param i32) (result i64) (local i64 i64 i64 i64)
                (local.set 1 (i64.const 1)) (local.set 2 (i64.const 2)) (local.set 3 (i64.const 3))
                (if (i32.eqz (local.get 0)) (then (return (i64.const -1))))
                (loop $l
                  (local.set 4 (local.get 1))
                  (local.set 1 (local.get 2))
                  (local.set 2 (local.get 3))
                  (local.set 3 (i64.add (i64.mul (local.get 4) (i64.const 3)) (local.get 1)))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br_if $l (local.get 0)))
                (i64.add (i64.add (local.get 1) (i64.mul (local.get 2) (i64.const 1000)))
                         (i64.mul (local.get 3) (i64.const 1000000))))
              ;; an iterative fibonacci whose loop exits on a zero test in the middle
              (func (export "fibIter") (param i32) (result i64) (local i64 i64 i64)
                (local.set 2 (i64.const 1))
                (block $done
                  (loop $l
                    (br_if $done (i32.eqz (local.get 0)))
                    (local.set 3 (i64.add (local.get 1) (local.get 2)))
                    (local.set 1 (local.get 2))
                    (local.set 2 (local.get 3))
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br $l)))
                (local.get 1)))
            """;

    private static int deep(int n) {
        return n == 0 ? 0 : (deep(n - 1) >> 1) + n;
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    private static long rotate3(int n) {
        if (n == 0) return -1;
        long a = 1, b = 2, c = 3;
        do {
            long t = a;
            a = b;
            b = c;
            c = t * 3 + a;
            n--;
        } while (n != 0);
        return a + b * 1000 + c * 1000000;
    }

    private static long fibIter(int n) {
        long a = 0, b = 1;
        for (; n != 0; n--) {
            long t = a + b;
            a = b;
            b = t;
        }
        return a;
    }

    @Test
    void rotatedAndPredictedCodeComputesTheSameResults() {
        Isthmus engine = Isthmus.builder().tier(Tier.OPTIMIZING).build();
        CompiledModule module = engine.compile(LOOPS.getBytes());
        try (Instance instance = module.instantiate()) {
            for (int n : new int[] {0, 1, 2, 3, 4, 5, 10, 100, 1000}) {
                assertEquals(deep(n), instance.call("deep", n)[0], "deep " + n);
                assertEquals(rotate3(n), instance.call("rotate3", n)[0], "rotate3 " + n);
                assertEquals(fibIter(n), instance.call("fibIter", n)[0], "fibIter " + n);
                if (n <= 20) assertEquals(fib(n), instance.call("fib", n)[0], "fib " + n);
            }
        } finally {
            module.close();
        }
    }
}
