package dev.isthmus.runtime.instance;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.WasmModule;

/**
 * Which functions may be entered from Java through a critical downcall ({@code Linker.Option.critical}: the thread
 * stays "in Java", no thread-state transition, ~2.5 ns instead of ~8 ns here): those that finish in a time bounded by
 * their size and never reach Java, since a critical call holds back every safepoint (GC) while it runs and must not
 * upcall. A function qualifies when its body is at most {@value #MAX_BODY_BYTES} bytes and has
 *
 * <ul>
 * <li>no loop (so it runs each instruction at most once: straight-line code, forward branches, {@code br_table});</li>
 * <li>no call other than a direct {@code call} of a function of its own module that qualifies too, where the calls
 *     form no cycle (no recursion) and the bodies it can run, each counted once per call site on the way, are at
 *     most {@value #MAX_RUN_BYTES} bytes: a tree of such leaves is as bounded as one (no host function, no
 *     {@code call_indirect}/{@code call_ref}, no tail call);</li>
 * <li>no instruction that compiled code runs as a call into the runtime ({@code memory.grow}, bulk memory, data and
 *     element segments, every table instruction: {@link dev.isthmus.runtime.abi.Builtin}), no {@code throw},
 *     {@code throw_ref} or {@code rethrow} (the throw stub finds the handler in Java: {@code ExceptionDispatch}), and
 *     no fuel metering (whose slow path calls Java).</li>
 * </ul>
 * A trap in such a function (a fault the signal shim turns into a trap, or an explicit check) leaves through the
 * recovery stub without Java, as in any entry. What is left is numeric, SIMD, local, global and memory
 * instructions, forward control flow, {@code memory.size} and calls of such functions: the "tiny function per
 * request" an embedder calls most. Lazily compiled code must have every function of the tree ({@link #tree})
 * compiled to its final tier before a critical entry: a lazy-compilation or tier-up stub calls Java.
 */
public final class BoundedLeaf {
    private BoundedLeaf() {
    }

    /** The largest body (bytes of instructions) that qualifies: at most a few microseconds of straight-line code. */
    public static final int MAX_BODY_BYTES = 2048;
    /** The most bytes of bodies one call may run, callees counted once per call site. */
    public static final int MAX_RUN_BYTES = 4 * MAX_BODY_BYTES;

    private static final int UNBOUNDED = -1;

    /** Whether function {@code functionIndex} of {@code module} qualifies (imported functions never do). */
    public static boolean test(WasmModule module, int functionIndex, boolean fuelMetered) {
        return tree(module, functionIndex, fuelMetered) != null;
    }

    /**
     * The functions a call of {@code functionIndex} can run when {@link #test} admits it — itself and every function
     * it calls, directly or not, in function index order — or null when it does not qualify.
     */
    public static int[] tree(WasmModule module, int functionIndex, boolean fuelMetered) {
        if (fuelMetered) return null;
        java.util.Map<Integer, Integer> known = new java.util.TreeMap<>();
        if (run(module, functionIndex, known) == UNBOUNDED) return null;
        return known.keySet().stream().mapToInt(Integer::intValue).toArray();   // every function the walk reached
    }

    /**
     * The bytes of bodies a call of {@code f} runs at most, or {@link #UNBOUNDED}; {@code known} memoizes (a function
     * being measured is in it as UNBOUNDED, so a cycle is unbounded).
     */
    private static int run(WasmModule module, int f, java.util.Map<Integer, Integer> known) {
        Integer k = known.get(f);
        if (k != null) return k;
        known.put(f, UNBOUNDED);
        int defined = f - module.importedFunctionCount();
        if (defined < 0) return UNBOUNDED;
        byte[] code = module.codes().get(defined).codeUnsafe();
        if (code.length > MAX_BODY_BYTES) return UNBOUNDED;
        long total = code.length;
        InstructionReader r = new InstructionReader(new ByteReader(code));
        while (!r.atEnd()) {
            Opcode op = r.next();
            if (op == Opcode.CALL) {
                int callee = run(module, r.index(), known);
                if (callee == UNBOUNDED) return UNBOUNDED;
                total += callee;
                if (total > MAX_RUN_BYTES) return UNBOUNDED;
            } else if (!bounded(op)) {
                return UNBOUNDED;
            }
        }
        known.put(f, (int) total);
        return (int) total;
    }

    private static boolean bounded(Opcode op) {
        return switch (op) {
            case LOOP, CALL, CALL_INDIRECT, RETURN_CALL, RETURN_CALL_INDIRECT, CALL_REF, RETURN_CALL_REF, MEMORY_GROW, MEMORY_INIT, DATA_DROP,
                 MEMORY_COPY, MEMORY_FILL, TABLE_GET, TABLE_SET, TABLE_INIT, ELEM_DROP, TABLE_COPY, TABLE_GROW,
                 TABLE_SIZE, TABLE_FILL,
                 THROW, THROW_REF, RETHROW -> false;                  // the throw stub dispatches in Java
            default -> !op.name().contains("CALL");                  // call_ref and any later call form
        };
    }
}
