package dev.isthmus.runtime.instance;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.runtime.stack.EntryRecord;
import dev.isthmus.runtime.stack.WasmCall;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.util.function.Function;

/**
 * Exact-typed handles that call an exported function with no allocation and no boxing, for signatures of at most
 * {@value #MAX_PARAMS} parameters and at most one result, all of them i32, i64, f32 or f64 (other signatures go
 * through {@link FunctionCaller#call(RuntimeInstance, long, boolean, long, long, long[], int, boolean)}):
 *
 * <pre>
 *   (int, long, float, double ...) → R
 *     └─ filterArguments: i32 → long (zero-extended), f32 → its bits, f64 → its bits
 *          └─ callN(target, long a0 ... aN-1): a_i → slot i of the thread's value buffer
 *               └─ target.run: FunctionCaller.enter (guarded entry) ──▶ entry adapter ──▶ wasm
 *                  ◀── slot 0 of the buffer (the result's raw bits)
 *     └─ filterReturnValue: long → R
 * </pre>
 * One arity-specific method per parameter count keeps every step a direct, inlinable call: with the handle in a
 * static final field, the JIT compiles the whole chain into the caller.
 */
public final class DirectCalls {
    private DirectCalls() {
    }

    /** The most parameters a direct handle takes. */
    public static final int MAX_PARAMS = 8;
    private static final MemorySegment RAW = FunctionCaller.RAW;
    private static final MethodHandle[] CALLS = new MethodHandle[MAX_PARAMS + 1];
    private static final MethodHandle[] DIRECT_CALLS = new MethodHandle[MAX_PARAMS + 1];
    /** Most integer parameters {@link WasmCall#directEntry} passes (six registers, two behind its own two). */
    private static final int DIRECT_MAX_INTEGERS = 6;
    private static final MethodHandle FROM_I32;
    private static final MethodHandle FROM_F32;
    private static final MethodHandle FROM_F64;
    private static final MethodHandle TO_I32;
    private static final MethodHandle TO_F32;
    private static final MethodHandle TO_F64;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (int n = 0; n <= MAX_PARAMS; n++) {
                Class<?>[] params = new Class<?>[n + 1];
                params[0] = Target.class;
                java.util.Arrays.fill(params, 1, n + 1, long.class);
                CALLS[n] = lookup.findStatic(DirectCalls.class, "call" + n, MethodType.methodType(long.class, params));
                params[0] = DirectEntry.class;
                DIRECT_CALLS[n] = lookup.findStatic(DirectCalls.class, "direct" + n,
                        MethodType.methodType(long.class, params));
            }
            FROM_I32 = lookup.findStatic(DirectCalls.class, "fromI32", MethodType.methodType(long.class, int.class));
            FROM_F32 = lookup.findStatic(DirectCalls.class, "fromF32", MethodType.methodType(long.class, float.class));
            FROM_F64 = lookup.findStatic(DirectCalls.class, "fromF64", MethodType.methodType(long.class, double.class));
            TO_I32 = lookup.findStatic(DirectCalls.class, "toI32", MethodType.methodType(int.class, long.class));
            TO_F32 = lookup.findStatic(DirectCalls.class, "toF32", MethodType.methodType(float.class, long.class));
            TO_F64 = lookup.findStatic(DirectCalls.class, "toF64", MethodType.methodType(double.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Whether {@link #handle} takes functions of {@code type}. */
    public static boolean supports(FuncType type) {
        if (type.params().size() > MAX_PARAMS || type.results().size() > 1) return false;
        for (ValType t : type.params()) {
            if (!scalar(t)) return false;
        }
        return type.results().isEmpty() || scalar(type.results().getFirst());
    }

    private static boolean scalar(ValType type) {
        return type == ValType.I32 || type == ValType.I64 || type == ValType.F32 || type == ValType.F64;
    }

    /**
     * What one exported function's handle calls: the instance it belongs to (calls into it are refused once it is
     * closing), its entry adapter and func ref, whether calls must start the {@link CallWatchdog}, the object to
     * keep reachable while a call runs, and how a trap becomes the exception the caller sees.
     */
    public static final class Target {
        private final RuntimeInstance instance;
        private final long entryAdapter;
        private final long funcRef;
        private final boolean threadInterrupts;
        private final Object keepAlive;
        private final Function<TrapException, RuntimeException> traps;
        /** Whether the function is a {@link BoundedLeaf}: entered through a critical downcall. */
        private final boolean boundedLeaf;

        /**
         * @param boundedLeaf whether {@link BoundedLeaf#test} admits the function (then it is entered through a
         *     critical downcall)
         */
        public Target(RuntimeInstance instance, long entryAdapter, long funcRef, boolean threadInterrupts,
                      Object keepAlive, Function<TrapException, RuntimeException> traps, boolean boundedLeaf) {
            this.boundedLeaf = boundedLeaf;
            this.instance = instance;
            this.entryAdapter = entryAdapter;
            this.funcRef = funcRef;
            this.threadInterrupts = threadInterrupts;
            this.keepAlive = keepAlive;
            this.traps = traps;
        }

        /** Runs the call whose arguments are in {@code buffer} (the thread's); returns result slot 0. */
        long run(FunctionCaller.CallState state, long buffer) {
            if (threadInterrupts && !CallWatchdog.running()) CallWatchdog.start();
            try {
                FunctionCaller.enter(state, instance, entryAdapter, funcRef, boundedLeaf);
            } catch (TrapException trap) {
                throw traps.apply(trap);
            }
            Reference.reachabilityFence(keepAlive);
            return RAW.get(JAVA_LONG, buffer);
        }
    }

    /**
     * How a function is entered directly ({@link WasmCall#directEntry}): the downcall handle for its signature
     * (critical for a {@link BoundedLeaf}), adapted to raw {@code long} values ({@code (long record, long block,
     * long a0 ...) → long}), the direct block (guard word address, func ref address) it passes, whether a call must
     * start the {@link CallWatchdog}, and the {@link Target} whose path a call takes when the direct entry cannot be
     * used (a virtual thread, or a thread that has not entered wasm before). A record, so that the JIT takes its
     * fields as constants when the handle is one.
     */
    record DirectEntry(Target target, MethodHandle entry, long block, MemorySegment blockMemory, boolean watchdog) {
        /** Marks the call in use and returns the thread's state, or null when the call must take the target's path. */
        FunctionCaller.CallState begin() {
            FunctionCaller.CallState state = FunctionCaller.state();
            if (state.context == 0) return null;               // not yet known (first call), or a virtual thread
            if (watchdog && !CallWatchdog.running()) CallWatchdog.start();
            FunctionCaller.mark(state, target.instance.id);
            return state;
        }

        /** After the downcall: the result, or the failure its status in the record means. */
        long done(FunctionCaller.CallState state, long result) {
            try {
                int status = RAW.get(JAVA_INT, state.recordAddress + EntryRecord.TRAP_CODE);
                if (status != 0) {
                    RuntimeException failure = FunctionCaller.failure(state, status);
                    throw failure instanceof TrapException trap ? target.traps.apply(trap) : failure;
                }
            } finally {
                FunctionCaller.unmark(state, state.depth - 1);
                RuntimeInstance instance = target.instance;          // as FunctionCaller.enter: also after a trap
                if (instance.interruptPending) instance.rearm();
            }
            Reference.reachabilityFence(this);
            return result;
        }
    }

    /** The exact-typed handle of a function of {@code type} ({@link #supports}) calling {@code target}. */
    public static MethodHandle handle(FuncType type, Target target) {
        if (!supports(type)) throw new IllegalArgumentException("no direct handle for " + type);
        int n = type.params().size();
        MethodHandle handle = directSupports(type)
                ? DIRECT_CALLS[n].bindTo(directEntry(type, target)) : CALLS[n].bindTo(target);
        MethodHandle[] filters = new MethodHandle[n];
        for (int i = 0; i < n; i++) {
            filters[i] = switch (type.params().get(i).kind()) {
                case I32 -> FROM_I32;
                case F32 -> FROM_F32;
                case F64 -> FROM_F64;
                default -> null;                                   // i64: the raw value itself
            };
        }
        handle = MethodHandles.filterArguments(handle, 0, filters);
        if (type.results().isEmpty()) return handle.asType(handle.type().changeReturnType(void.class));
        return switch (type.results().getFirst().kind()) {
            case I32 -> MethodHandles.filterReturnValue(handle, TO_I32);
            case F32 -> MethodHandles.filterReturnValue(handle, TO_F32);
            case F64 -> MethodHandles.filterReturnValue(handle, TO_F64);
            default -> handle;
        };
    }

    private static long call0(Target target) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        return target.run(state, buffer);
    }
    private static long call1(Target target, long a0) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        return target.run(state, buffer);
    }
    private static long call2(Target target, long a0, long a1) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        return target.run(state, buffer);
    }
    private static long call3(Target target, long a0, long a1, long a2) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        RAW.set(JAVA_LONG, buffer + 32, a2);
        return target.run(state, buffer);
    }
    private static long call4(Target target, long a0, long a1, long a2, long a3) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        RAW.set(JAVA_LONG, buffer + 32, a2);
        RAW.set(JAVA_LONG, buffer + 48, a3);
        return target.run(state, buffer);
    }
    private static long call5(Target target, long a0, long a1, long a2, long a3, long a4) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        RAW.set(JAVA_LONG, buffer + 32, a2);
        RAW.set(JAVA_LONG, buffer + 48, a3);
        RAW.set(JAVA_LONG, buffer + 64, a4);
        return target.run(state, buffer);
    }
    private static long call6(Target target, long a0, long a1, long a2, long a3, long a4, long a5) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        RAW.set(JAVA_LONG, buffer + 32, a2);
        RAW.set(JAVA_LONG, buffer + 48, a3);
        RAW.set(JAVA_LONG, buffer + 64, a4);
        RAW.set(JAVA_LONG, buffer + 80, a5);
        return target.run(state, buffer);
    }
    private static long call7(Target target, long a0, long a1, long a2, long a3, long a4, long a5, long a6) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        RAW.set(JAVA_LONG, buffer + 32, a2);
        RAW.set(JAVA_LONG, buffer + 48, a3);
        RAW.set(JAVA_LONG, buffer + 64, a4);
        RAW.set(JAVA_LONG, buffer + 80, a5);
        RAW.set(JAVA_LONG, buffer + 96, a6);
        return target.run(state, buffer);
    }
    private static long call8(Target target, long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7) {
        FunctionCaller.CallState state = FunctionCaller.state();
        long buffer = state.bufferAddress;
        RAW.set(JAVA_LONG, buffer + 0, a0);
        RAW.set(JAVA_LONG, buffer + 16, a1);
        RAW.set(JAVA_LONG, buffer + 32, a2);
        RAW.set(JAVA_LONG, buffer + 48, a3);
        RAW.set(JAVA_LONG, buffer + 64, a4);
        RAW.set(JAVA_LONG, buffer + 80, a5);
        RAW.set(JAVA_LONG, buffer + 96, a6);
        RAW.set(JAVA_LONG, buffer + 112, a7);
        return target.run(state, buffer);
    }

    /** Whether {@link WasmCall#directEntry} passes {@code type}'s parameters (all in registers). */
    private static boolean directSupports(FuncType type) {
        int integers = 0;
        for (ValType t : type.params()) {
            if (t == ValType.I32 || t == ValType.I64) integers++;
        }
        return integers <= DIRECT_MAX_INTEGERS;
    }

    private static DirectEntry directEntry(FuncType type, Target target) {
        List<MemoryLayout> params = new ArrayList<>();
        params.add(JAVA_LONG);                                 // the entry record
        params.add(JAVA_LONG);                                 // the direct block
        for (ValType t : type.params()) params.add(layout(t));
        MemoryLayout result = type.results().isEmpty() ? JAVA_LONG : layout(type.results().getFirst());
        MethodHandle entry = WasmCall.directEntry(FunctionDescriptor.of(result, params.toArray(MemoryLayout[]::new)),
                target.boundedLeaf);
        for (int i = 0; i < type.params().size(); i++) {
            MethodHandle filter = switch (type.params().get(i).kind()) {
                case F32 -> TO_F32;
                case F64 -> TO_F64;
                default -> null;
            };
            if (filter != null) entry = MethodHandles.filterArguments(entry, 2 + i, filter);
        }
        if (result == JAVA_FLOAT) entry = MethodHandles.filterReturnValue(entry, FROM_F32);
        if (result == JAVA_DOUBLE) entry = MethodHandles.filterReturnValue(entry, FROM_F64);
        MemorySegment block = Arena.ofAuto().allocate(WasmCall.DIRECT_BLOCK_SIZE, 8);
        block.set(JAVA_LONG, WasmCall.DIRECT_BLOCK_GUARD, target.instance.guardAddress);
        block.set(JAVA_LONG, WasmCall.DIRECT_BLOCK_FUNC_REF, target.funcRef);
        return new DirectEntry(target, entry, block.address(), block, target.threadInterrupts && !target.boundedLeaf);
    }

    private static MemoryLayout layout(ValType type) {
        return switch (type.kind()) {
            case F32 -> JAVA_FLOAT;
            case F64 -> JAVA_DOUBLE;
            default -> JAVA_LONG;                              // i32 in the low half, as the wasm convention reads it
        };
    }

    private static long direct0(DirectEntry e) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call0(e.target);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block));
    }
    private static long direct1(DirectEntry e, long a0) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call1(e.target, a0);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0));
    }
    private static long direct2(DirectEntry e, long a0, long a1) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call2(e.target, a0, a1);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1));
    }
    private static long direct3(DirectEntry e, long a0, long a1, long a2) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call3(e.target, a0, a1, a2);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1, a2));
    }
    private static long direct4(DirectEntry e, long a0, long a1, long a2, long a3) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call4(e.target, a0, a1, a2, a3);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1, a2, a3));
    }
    private static long direct5(DirectEntry e, long a0, long a1, long a2, long a3, long a4) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call5(e.target, a0, a1, a2, a3, a4);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1, a2, a3, a4));
    }
    private static long direct6(DirectEntry e, long a0, long a1, long a2, long a3, long a4, long a5) throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call6(e.target, a0, a1, a2, a3, a4, a5);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1, a2, a3, a4, a5));
    }
    private static long direct7(DirectEntry e, long a0, long a1, long a2, long a3, long a4, long a5, long a6)
            throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call7(e.target, a0, a1, a2, a3, a4, a5, a6);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1, a2, a3, a4, a5, a6));
    }
    private static long direct8(DirectEntry e, long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
            throws Throwable {
        FunctionCaller.CallState state = e.begin();
        if (state == null) return call8(e.target, a0, a1, a2, a3, a4, a5, a6, a7);
        return e.done(state, (long) e.entry.invokeExact(state.recordAddress, e.block, a0, a1, a2, a3, a4, a5, a6, a7));
    }

    private static long fromI32(int value) {
        return value & 0xFFFF_FFFFL;
    }

    private static long fromF32(float value) {
        return Float.floatToRawIntBits(value) & 0xFFFF_FFFFL;
    }

    private static long fromF64(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static int toI32(long raw) {
        return (int) raw;
    }

    private static float toF32(long raw) {
        return Float.intBitsToFloat((int) raw);
    }

    private static double toF64(long raw) {
        return Double.longBitsToDouble(raw);
    }
}
