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
 * <li>no call of any kind (no other wasm code, no host function, no tail call);</li>
 * <li>no instruction that compiled code runs as a call into the runtime ({@code memory.grow}, bulk memory, data and
 *     element segments, every table instruction: {@link dev.isthmus.runtime.abi.Builtin}), no {@code throw},
 *     {@code throw_ref} or {@code rethrow} (the throw stub finds the handler in Java: {@code ExceptionDispatch}), and
 *     no fuel metering (whose slow path calls Java).</li>
 * </ul>
 * A trap in such a function (a fault the signal shim turns into a trap, or an explicit check) leaves through the
 * recovery stub without Java, as in any entry. What is left is numeric, SIMD, local, global and memory
 * instructions, forward control flow and {@code memory.size}: the "tiny function per request" an embedder calls most.
 */
public final class BoundedLeaf {
    private BoundedLeaf() {
    }

    /** The largest body (bytes of instructions) that qualifies: at most a few microseconds of straight-line code. */
    public static final int MAX_BODY_BYTES = 2048;

    /** Whether function {@code functionIndex} of {@code module} qualifies (imported functions never do). */
    public static boolean test(WasmModule module, int functionIndex, boolean fuelMetered) {
        int defined = functionIndex - module.importedFunctionCount();
        if (fuelMetered || defined < 0) return false;
        FunctionBody body = module.codes().get(defined);
        byte[] code = body.codeUnsafe();
        if (code.length > MAX_BODY_BYTES) return false;
        InstructionReader r = new InstructionReader(new ByteReader(code));
        while (!r.atEnd()) {
            if (!bounded(r.next())) return false;
        }
        return true;
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
