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
    /** On demand ({@link #onDemand}): the module, and which functions are settled (guarded by this). */
    private final WasmModule module;
    private final boolean[] settled;

    private TailCallEffects(int imports, boolean[] irregular) {
        this.imports = imports;
        this.irregular = irregular;
        this.module = null;
        this.settled = null;
    }

    private TailCallEffects(WasmModule module) {
        this.imports = module.importedFunctionCount();
        this.irregular = new boolean[module.functions().size()];
        this.module = module;
        this.settled = new boolean[irregular.length];
    }

    /**
     * The same answers as {@link #of}, each worked out when first asked (for code compiled lazily, which asks about
     * the callees of what runs, not about the whole module): the functions reachable from the one asked about by
     * direct same-size tail calls are scanned, and their strongly connected components settled, as a group's
     * members share their answer (Tarjan's algorithm, iteratively). Thread-safe.
     */
    public static TailCallEffects onDemand(WasmModule module) {
        return new TailCallEffects(module);
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
        long codeBytes = module.codeBytes();
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
        if (function < imports) return false;
        if (settled == null) return irregular[function - imports];
        synchronized (this) {
            if (!settled[function - imports]) settle(function - imports);
            return irregular[function - imports];
        }
    }

    /** Settles {@code root} and everything it reaches: Tarjan's strongly connected components, without recursion. */
    private void settle(int root) {
        java.util.Map<Integer, Integer> index = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> low = new java.util.HashMap<>();
        java.util.Map<Integer, int[]> targets = new java.util.HashMap<>();
        java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
        java.util.Set<Integer> onStack = new java.util.HashSet<>();
        java.util.ArrayDeque<int[]> work = new java.util.ArrayDeque<>();   // {node, next target position}
        int counter = 0;
        work.push(new int[] {root, 0});
        while (!work.isEmpty()) {
            int[] frame = work.peek();
            int v = frame[0];
            if (frame[1] == 0 && !index.containsKey(v)) {
                index.put(v, counter);
                low.put(v, counter++);
                stack.push(v);
                onStack.add(v);
                boolean[] self = new boolean[1];
                int[][] out = new int[1][];
                scan(module, v, v + 1, self, out, v);
                targets.put(v, out[0]);
                if (self[0]) irregular[v] = true;
            }
            int[] next = targets.get(v);
            if (frame[1] < next.length) {
                int w = next[frame[1]++];
                if (settled[w]) {
                    if (irregular[w]) irregular[v] = true;
                } else if (!index.containsKey(w)) {
                    work.push(new int[] {w, 0});
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {                          // back in the caller: take the callee's low link
                int u = work.peek()[0];
                low.put(u, Math.min(low.get(u), low.get(v)));
            }
            if (low.get(v).equals(index.get(v))) {          // v roots a component: its members share the answer
                java.util.List<Integer> component = new java.util.ArrayList<>();
                int w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (w != v);
                boolean any = false;
                for (int c : component) {
                    any |= irregular[c];
                    for (int t : targets.get(c)) any |= settled[t] && irregular[t];
                }
                for (int c : component) {
                    irregular[c] = any;
                    settled[c] = true;
                }
            }
        }
    }

    /** The direct tail calls of defined functions {@code [from, to)}, and which of them are irregular by themselves. */
    private static void scan(WasmModule module, int from, int to, boolean[] irregular, int[][] tailTargets) {
        scan(module, from, to, irregular, tailTargets, 0);
    }

    /** As above, with the results of function {@code i} at {@code [i - base]} of the two arrays. */
    private static void scan(WasmModule module, int from, int to, boolean[] irregularOut, int[][] targetsOut,
                             int base) {
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
                    irregularOut[i - base] = true;
                } else if (op == Opcode.RETURN_CALL) {
                    int f = r.index();
                    if (f < imports || slotsOf(module.functionType(f)) != selfSlots) irregularOut[i - base] = true;
                    else {
                        if (tailCount == tails.length) tails = java.util.Arrays.copyOf(tails, tailCount * 2);
                        tails[tailCount++] = f - imports;
                    }
                }
            }
            targetsOut[i - base] = java.util.Arrays.copyOf(tails, tailCount);
        }
    }
}
