package dev.isthmus.compiler.machine;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.WasmAbi;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Fuel metering ({@code CompilerOptions.fuel()}), shared by both tiers so they count the same: the cost of each
 * instruction, where the straight-line runs of a function start and what each costs, and the machine sequences.
 *
 * <p><b>Cost</b> (wasmtime's model): {@code nop}, {@code drop}, {@code block}, {@code loop}, {@code unreachable},
 * {@code return}, {@code else} and {@code end} cost 0; every other instruction costs 1.
 *
 * <p><b>Runs.</b> A run starts at the first instruction of the function, after {@code loop} (the loop header,
 * where every back-edge lands), after {@code if} and {@code else} (each arm), after the {@code end} of a block or
 * {@code if} (a join point), and after every instruction that transfers control ({@code br}, {@code br_if},
 * {@code br_table}, {@code return}, {@code unreachable}, the tail calls). A run's whole cost is charged when it
 * starts, before its first instruction runs: the counter in the vmctx ({@link VmContextLayout#fuel()}, fuel
 * consumed minus the budget) grows by the run's total. Calls do not end a run, so a callee that runs out of fuel
 * has already been charged for the rest of its caller's run. Both tiers charge the same runs at the same wasm
 * positions, so a program consumes the same fuel under either.
 *
 * <p><b>Charged ahead.</b> Every charge is a read-modify-write of one memory word, so the charges of a program form
 * one dependency chain; fewer charges is what makes metering cheaper. So the run that ends with an {@code if} also
 * pays for what always follows it: the part of the two arms' first runs they have in common (the smaller of the
 * two; 0 without {@code else}), which each arm's own charge then leaves out, and — when no branch leaves the arms
 * for a label outside the {@code if} (nor {@code return}) — the whole run after the {@code if}'s {@code end}, which
 * then charges nothing. An execution that completes is charged exactly the cost of the instructions it ran; one
 * that traps may have been charged for a little code after the trap.
 *
 * <p><b>Checks</b> sit where the interruption poll sits ({@link SafepointPoll}) and more: at the entry of every
 * function (after its prologue) and at every loop header, so neither a loop nor recursion runs without one. A check
 * charges its run and then compares: a positive counter (more consumed than the budget) takes the out-of-line slow
 * path, which calls the runtime's fuel stub ({@code call [r15 + fuelStub]}). The stub saves every register, asks the
 * instance's fuel handler for more (a Java upcall through the host-call bridge) and returns to the check, which
 * resumes exactly there; or it raises {@code OUT_OF_FUEL} at the check. Between checks the counter may go past the
 * budget by at most the runs executed since the last check. (wasmtime compares {@code >= 0}, before charging the
 * run at the check: a program there needs one unit more than its cost; here a budget equal to the cost is enough.)
 *
 * <pre>
 *   charge (no check):     add qword [r15 + fuel], cost
 *     (flags live):        mov r11, [r15 + fuel]; lea r11, [r11 + cost]; mov [r15 + fuel], r11
 *   check:                 add qword [r15 + fuel], cost     (cmp qword [r15 + fuel], 0 when cost is 0)
 *                          jg  slow
 *                 resume:  ...
 *   slow (after the body): call [r15 + fuelStub]; jmp resume
 * </pre>
 * Where a tier may hold a pending condition in the flags across a run start, the charge keeps them and uses only
 * r11, the scratch register of both tiers; a check clobbers the flags, so it only sits where none are live
 * (function entry, loop header).
 */
public final class FuelMetering {
    private FuelMetering() {
    }

    /** The fuel cost of one instruction (wasmtime's model). */
    public static int cost(Opcode op) {
        return switch (op) {
            case NOP, DROP, BLOCK, LOOP, UNREACHABLE, RETURN, ELSE, END -> 0;
            default -> 1;
        };
    }

    /**
     * The runs of one function body: for each run's first instruction (its {@link InstructionReader#offset()}),
     * the run's cost and whether a check sits there.
     */
    public static final class Plan {
        private final int[] offsets;
        private final long[] costs;
        private final boolean[] checks;
        private final int count;

        private Plan(int[] offsets, long[] costs, boolean[] checks, int count) {
            this.offsets = offsets;
            this.costs = costs;
            this.checks = checks;
            this.count = count;
        }

        /** The index of the run starting at instruction offset {@code offset}, or -1 when none starts there. */
        public int runAt(long offset) {
            int i = Arrays.binarySearch(offsets, 0, count, (int) offset);
            return i >= 0 ? i : -1;
        }

        /** The cost of run {@code run}. */
        public long cost(int run) {
            return costs[run];
        }

        /** Whether run {@code run} starts with a check (function entry, loop header). */
        public boolean check(int run) {
            return checks[run];
        }

        /** How many runs the body has. */
        public int size() {
            return count;
        }
    }

    private static final int BLOCK = 0;
    private static final int LOOP = 1;
    private static final int IF = 2;

    /** One {@code if}: its runs (before it, each arm's first, after its end) and whether a branch leaves its arms. */
    private static final class IfRuns {
        int before;
        int then = -1;
        int otherwise = -1;
        int after = -1;
        boolean leftByBranch;
    }

    /** The runs of {@code body} (a validated function body). */
    public static Plan plan(FunctionBody body) {
        byte[] code = body.codeUnsafe();
        InstructionReader r = new InstructionReader(new ByteReader(code, 0, code.length, body.codeOffset(),
                "unexpected end"));
        int[] offsets = new int[16];
        long[] costs = new long[16];
        boolean[] checks = new boolean[16];
        int count = 0;
        int[] kinds = new int[16];
        IfRuns[] ifFrames = new IfRuns[16];
        int depth = 0;
        List<IfRuns> ifs = new ArrayList<>();
        IfRuns pendingIf = null;                     // the if whose next run (an arm's first, or after) starts next
        int pendingRole = 0;                         // 1 then, 2 else, 3 after
        boolean startNext = true;
        boolean checkNext = true;                    // the function entry
        int run = -1;
        scan:
        while (!r.atEnd()) {
            Opcode op = r.next();
            if (startNext) {
                if (count == offsets.length) {
                    offsets = Arrays.copyOf(offsets, count * 2);
                    costs = Arrays.copyOf(costs, count * 2);
                    checks = Arrays.copyOf(checks, count * 2);
                }
                run = count++;
                offsets[run] = Math.toIntExact(r.offset());
                checks[run] = checkNext;
                startNext = false;
                checkNext = false;
                if (pendingIf != null) {
                    if (pendingRole == 1) pendingIf.then = run;
                    else if (pendingRole == 2) pendingIf.otherwise = run;
                    else pendingIf.after = run;
                    pendingIf = null;
                }
            }
            costs[run] += cost(op);
            switch (op) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> {         // a try is a block (its body falls through)
                    if (depth == kinds.length) {
                        kinds = Arrays.copyOf(kinds, depth * 2);
                        ifFrames = Arrays.copyOf(ifFrames, depth * 2);
                    }
                    kinds[depth] = op == Opcode.LOOP ? LOOP : op == Opcode.IF ? IF : BLOCK;
                    ifFrames[depth] = null;
                    if (op == Opcode.IF) {
                        IfRuns info = new IfRuns();
                        info.before = run;
                        ifs.add(info);
                        ifFrames[depth] = info;
                        pendingIf = info;
                        pendingRole = 1;
                    }
                    depth++;
                    if (op == Opcode.LOOP) checkNext = true;
                    if (op == Opcode.LOOP || op == Opcode.IF) startNext = true;
                }
                case ELSE -> {
                    startNext = true;
                    pendingIf = ifFrames[depth - 1];
                    pendingRole = 2;
                }
                case BR, BR_IF, BR_ON_NULL, BR_ON_NON_NULL -> {
                    leave(ifFrames, depth, r.index());
                    startNext = true;
                }
                case BR_TABLE -> {
                    int deepest = r.brDefault();
                    for (int target : r.brTargets()) deepest = Math.max(deepest, target);
                    leave(ifFrames, depth, deepest);
                    startNext = true;
                }
                case RETURN, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF -> {
                    leave(ifFrames, depth, depth);
                    startNext = true;
                }
                case UNREACHABLE -> startNext = true;
                case CATCH, CATCH_ALL -> startNext = true;     // entered from its landing pad
                case THROW, THROW_REF, RETHROW -> {
                    leave(ifFrames, depth, depth);
                    startNext = true;
                }
                case DELEGATE -> {                             // ends its try, as end does
                    depth--;
                    startNext = true;
                }
                case END -> {
                    if (depth == 0) break scan;                 // the function's end
                    depth--;
                    if (kinds[depth] != LOOP) startNext = true;
                    if (kinds[depth] == IF) {
                        pendingIf = ifFrames[depth];
                        pendingRole = 3;
                    }
                }
                default -> { }
            }
        }
        // charge ahead what always runs: from the last if to the first, so an inner if's hoisting is done first
        for (int k = ifs.size() - 1; k >= 0; k--) {
            IfRuns info = ifs.get(k);
            if (info.then < 0) continue;
            long shared = info.otherwise >= 0 ? Math.min(costs[info.then], costs[info.otherwise]) : 0;
            costs[info.before] += shared;
            costs[info.then] -= shared;
            if (info.otherwise >= 0) costs[info.otherwise] -= shared;
            if (!info.leftByBranch && info.after >= 0) {
                costs[info.before] += costs[info.after];
                costs[info.after] = 0;
            }
        }
        return new Plan(offsets, costs, checks, count);
    }

    /** A branch to label {@code label} from nesting {@code depth}: every if it jumps out of is left by a branch. */
    private static void leave(IfRuns[] ifFrames, int depth, int label) {
        for (int k = 0; k < label && k < depth; k++) {
            IfRuns info = ifFrames[depth - 1 - k];
            if (info != null) info.leftByBranch = true;
        }
    }

    private static Mem counter(VmContextLayout vm) {
        return Mem.of(WasmAbi.VMCTX, Math.toIntExact(vm.fuel()));
    }

    /**
     * Charges {@code cost} without a check: {@code add qword [r15 + fuel], cost} where no flags are live, else the
     * sequence that keeps them (through r11). Nothing when the cost is 0.
     */
    public static void emitCharge(Assembler a, VmContextLayout vm, long cost, boolean flagsLive) {
        if (cost == 0) return;
        Mem counter = counter(vm);
        if (!flagsLive) {
            a.add(QWORD, counter, Math.toIntExact(cost));
            return;
        }
        a.mov(QWORD, Gpr.R11, counter);
        a.lea(QWORD, Gpr.R11, Mem.of(Gpr.R11, Math.toIntExact(cost)));
        a.mov(QWORD, counter, Gpr.R11);
    }

    /** Charges {@code cost} and branches to {@code slow} when the fuel is exhausted; clobbers the flags. */
    public static void emitCheck(Assembler a, VmContextLayout vm, long cost, Label slow) {
        Mem counter = counter(vm);
        if (cost == 0) {
            a.cmp(QWORD, counter, 0);
        } else {
            a.add(QWORD, counter, Math.toIntExact(cost));
        }
        a.jcc(Cond.G, slow);
    }

    /**
     * The slow path of a check, out of line (after the function's body, before its trap sites): the stub returns
     * when there is fuel again, and the code goes on where the check stood.
     */
    public static void emitSlowPath(Assembler a, VmContextLayout vm, Label slow, Label resume) {
        a.bind(slow);
        a.call(Mem.of(WasmAbi.VMCTX, Math.toIntExact(vm.fuelStub())));
        a.jmp(resume);
    }
}
