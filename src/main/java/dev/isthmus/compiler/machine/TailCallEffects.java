package dev.isthmus.compiler.machine;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.ParallelBodies;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.WasmModule;

/**
 * Which defined functions may return to their caller with an <em>irregular exit</em>: r15 (vmctx) not the caller's,
 * or rsp other than right after the call. That happens when a function (or one it reaches through direct
 * {@code return_call}s) makes a tail call that
 * <ul>
 *   <li>leaves this instance: {@code return_call} of an import, any {@code return_call_indirect} (conservative:
 *       its callee may be of another instance), or</li>
 *   <li>needs another number of stack slots than the function's own incoming area (the return address is moved
 *       so that the area's top stays put, see {@code CallLowering}).</li>
 * </ul>
 * A direct caller of such a function reloads r15 and resets rsp after the call; calls through func refs always do.
 */
public final class TailCallEffects {
    private final int imports;
    private final boolean[] irregular;

    private TailCallEffects(int imports, boolean[] irregular) {
        this.imports = imports;
        this.irregular = irregular;
    }

    /** Stack slots of a call of type {@code t} (arguments or results beyond the registers, whichever is more). */
    public static int slotsOf(FuncType t) {
        return slotsOf(ValueLocations.ofParams(t.params()), ValueLocations.ofResults(t.results()));
    }

    /** Stack slots of a call whose arguments and results are where {@code params} and {@code results} say. */
    public static int slotsOf(ValueLocations params, ValueLocations results) {
        return Math.max(params.stackSlotCount(), results.stackSlotCount());
    }

    /** Analyses a validated module: direct tail-call graph, then a fixpoint backwards over it. */
    public static TailCallEffects of(WasmModule module) {
        int imports = module.importedFunctionCount();
        int defined = module.functions().size();
        boolean[] irregular = new boolean[defined];
        int[][] tailTargets = new int[defined][];
        long codeBytes = 0;
        for (var body : module.codes()) codeBytes += body.codeUnsafe().length;
        ParallelBodies.forEach(defined, codeBytes, (from, to) -> scan(module, from, to, irregular, tailTargets));
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = 0; i < defined; i++) {
                if (irregular[i]) continue;
                for (int t : tailTargets[i]) {
                    if (irregular[t]) {
                        irregular[i] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return new TailCallEffects(imports, irregular);
    }

    /** Whether a direct call of {@code function} (function index space) may return irregularly; imports: false. */
    public boolean irregularExit(int function) {
        return function >= imports && irregular[function - imports];
    }

    /** The direct tail calls of defined functions {@code [from, to)}, and which of them are irregular by themselves. */
    private static void scan(WasmModule module, int from, int to, boolean[] irregular, int[][] tailTargets) {
        int imports = module.importedFunctionCount();
        for (int i = from; i < to; i++) {
            int selfSlots = slotsOf(module.functionType(imports + i));
            byte[] code = module.codes().get(i).codeUnsafe();
            InstructionReader r = new InstructionReader(new ByteReader(code));
            int[] tails = new int[4];
            int tailCount = 0;
            while (!r.atEnd()) {
                Opcode op = r.next();
                if (op == Opcode.RETURN_CALL_INDIRECT || op == Opcode.RETURN_CALL_REF) {
                    irregular[i] = true;
                } else if (op == Opcode.RETURN_CALL) {
                    int f = r.index();
                    if (f < imports || slotsOf(module.functionType(f)) != selfSlots) irregular[i] = true;
                    else {
                        if (tailCount == tails.length) tails = java.util.Arrays.copyOf(tails, tailCount * 2);
                        tails[tailCount++] = f - imports;
                    }
                }
            }
            tailTargets[i] = java.util.Arrays.copyOf(tails, tailCount);
        }
    }
}
