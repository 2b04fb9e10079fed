package dev.isthmus.runtime.host;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.abi.HostRecordLayout;
import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.os.NativeHeap;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * How compiled code reaches Java host functions. A host-call adapter calls {@code bridge(hostRecord, buffer)}
 * (the record's {@link HostRecordLayout#BRIDGE} field); the bridge is a three-instruction stub that hands the
 * record and buffer to the runtime's host-call switch ({@link RuntimeStubs#hostCallAddress()}) together with the
 * one upcall stub of {@link #dispatch}, which runs on the Java stack:
 *
 * <pre>
 *   adapter ──call──▶ bridge:  movabs r8, &lt;upcall stub of dispatch&gt;
 *                              movabs rax, &lt;hostCall&gt;
 *                              jmp rax                  ; hostCall switches to the Java stack, calls r8(rdi, rsi)
 *   dispatch(record, buffer): id = record.id → HostCode → call(buffer, bytes, context of the record's instance) → 0,
 *                             or park the throwable → trap code
 *                             (a StackOverflowError is not parked: it becomes the "call stack exhausted" trap)
 * </pre>
 */
public final class HostBridge {
    private HostBridge() {
    }

    /** The host code of each record, by the record's id (an index; freed ids are reused). */
    private static volatile SizedHostCode[] functions = new SizedHostCode[64];
    private static final java.util.ArrayDeque<Integer> FREE_IDS = new java.util.ArrayDeque<>();
    private static int nextId = 1;
    /** The status a throwing host function returns: the adapter raises it, the entry finds the parked throwable. */
    public static final int THREW = TrapCode.UNREACHABLE.code();
    /** The status of a host function (or builtin) that threw {@link StackOverflowError}: the trap itself. */
    public static final int STACK_EXHAUSTED = TrapCode.CALL_STACK_EXHAUSTED.code();
    /**
     * The status of a host function that threw a wasm exception (the API's exception type, or an exception that
     * left a nested entry uncaught): parked as a {@link ThrowSignal}; the record's raise entry throws it on at the
     * call site instead of trapping. Not a trap code.
     */
    public static final int THROW = 0x7E00;
    private static final long BRIDGE_ADDRESS;

    static {
        try {
            var dispatch = MethodHandles.lookup().findStatic(HostBridge.class, "dispatch",
                    MethodType.methodType(long.class, long.class, long.class, long.class, long.class));
            // long(long x 4): the same upcall shape as the builtins' (one JDK class spin for both); the status
            // travels in eax either way
            long upcall = Linker.nativeLinker().upcallStub(dispatch,
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Arena.global())
                    .address();
            Assembler asm = new Assembler();
            asm.movabs(Gpr.R8, upcall);
            asm.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
            asm.jmp(Gpr.RAX);
            CodeMemory code = CodeMemory.of(asm.finish());
            FaultTables.registerCode(code);
            BRIDGE_ADDRESS = code.address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The bridge's address (what every host record's {@code bridge} field holds). */
    public static long bridgeAddress() {
        return BRIDGE_ADDRESS;
    }

    /**
     * A native host record for {@code code} whose buffer has {@code slots} value slots; free it with
     * {@link #freeRecord} once no compiled code can call it any more.
     */
    public static long newRecord(HostCode code, int slots) {
        return newRecord(code, slots, null);
    }

    /**
     * Like {@link #newRecord(HostCode, int)}, for the importing instance {@code context}: every call through the
     * record runs {@link HostCode#call(MemorySegment, Object) code.call(buffer, context)}.
     */
    public static long newRecord(HostCode code, int slots, Object context) {
        long id = register(new SizedHostCode(code, (long) ValueBuffer.SLOT * Math.max(slots, 1), context));
        long record = NativeHeap.allocate(HostRecordLayout.SIZE);
        NativeHeap.putLong(record + HostRecordLayout.BRIDGE, BRIDGE_ADDRESS);
        NativeHeap.putLong(record + HostRecordLayout.ID, id);
        NativeHeap.putLong(record + HostRecordLayout.RAISE, RuntimeStubs.get().raiseAddress());
        return record;
    }

    /** Forgets the record's function and frees the record. */
    public static void freeRecord(long record) {
        unregister((int) NativeHeap.getLong(record + HostRecordLayout.ID));
        NativeHeap.free(record);
    }

    private static synchronized int register(SizedHostCode code) {
        Integer free = FREE_IDS.poll();
        int id = free != null ? free : nextId++;
        SizedHostCode[] table = functions;
        if (id >= table.length) table = java.util.Arrays.copyOf(table, Math.max(2 * table.length, id + 1));
        table[id] = code;
        functions = table;                                   // publishes the entry (volatile write)
        return id;
    }

    private static synchronized void unregister(int id) {
        functions[id] = null;
        FREE_IDS.push(id);
    }

    private record SizedHostCode(HostCode code, long bytes, Object context) {
    }

    /** The upcall: never throws (an exception escaping an upcall ends the VM). */
    private static long dispatch(long record, long buffer, long unused1, long unused2) {
        try {
            SizedHostCode entry = functions[(int) NativeHeap.getLong(record + HostRecordLayout.ID)];
            if (entry == null) throw new IllegalStateException("host function record " + record + " is freed");
            entry.code.call(buffer, entry.bytes, entry.context);
            return 0;
        } catch (StackOverflowError e) {
            // the host ran out of Java stack: a wasm trap like any other stack exhaustion (nothing parked, so the
            // caller gets the TrapException with the wasm backtrace of the call site)
            return STACK_EXHAUSTED;
        } catch (Throwable t) {
            try {
                Object exception = ThrowSignal.exceptionOf(t);
                if (exception != null) {
                    PendingThrowable.park(t instanceof ThrowSignal ? t : new ThrowSignal(exception));
                    return THROW;
                }
                PendingThrowable.park(t);
            } catch (Throwable ignored) {
                // out of memory or stack even for that: the trap still unwinds
            }
            return THREW;
        }
    }

}
