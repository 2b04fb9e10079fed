package dev.isthmus;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.instance.BoundedLeaf;
import dev.isthmus.runtime.instance.DirectCalls;
import dev.isthmus.runtime.instance.ExternValue;
import dev.isthmus.runtime.instance.FunctionCaller;
import dev.isthmus.runtime.instance.RuntimeInstance;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Calling one exported wasm function from Java, with Java values, and its exact-typed {@link MethodHandle}:
 *
 * <pre>
 *   (int, long, float, double, V128, FunctionRef, Object ...) → void | the one result | Object[] (several)
 *        └─ asCollector ─▶ call(Object[]) ─▶ raw values ─▶ FunctionCaller ─▶ entry adapter ─▶ wasm
 *   (int, long, float, double; at most 8) → void | int | long | float | double, no timeout:
 *        └─ DirectCalls: the raw values straight into the thread's value buffer ─▶ entry adapter ─▶ wasm
 * </pre>
 */
final class ExportedFunction {
    private static final MethodHandle CALL;

    static {
        try {
            CALL = MethodHandles.lookup().findVirtual(ExportedFunction.class, "callForHandle",
                    MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final ExternValue.WasmFunction function;
    private final long entryAdapter;
    private final Instance keepAlive;
    private final RuntimeInstance runtime;
    private final long timeoutNanos;
    private final boolean threadInterrupts;
    /** Whether a parameter or result is a v128: values cross as two longs each. */
    private final boolean wide;

    ExportedFunction(String name, ExternValue.WasmFunction function, Instance keepAlive) {
        this.name = name;
        this.function = function;
        this.entryAdapter = function.adapters().entryAdapterAddress(function.typeIndex());
        this.keepAlive = keepAlive;
        this.runtime = keepAlive.runtime();
        this.timeoutNanos = keepAlive.module().callTimeoutNanos();
        this.threadInterrupts = keepAlive.module().threadInterrupts();
        this.wide = WasmValues.anyWide(function.type().params()) || WasmValues.anyWide(function.type().results());
    }

    FuncType type() {
        return function.type();
    }

    /**
     * Calls with Java values; returns one element per result. The call holds a use of the instance (which holds
     * one of every instance it imports from): its native state cannot be freed before the call has returned.
     *
     * @throws IllegalArgumentException when the number of arguments or the Java type of one does not fit the
     *     function's signature (nothing ran); the message names the function, the parameter and both types
     * @throws IllegalStateException when the instance is closed (nothing ran)
     * @throws WasmTrap when the wasm code traps
     * @throws HostException when a host function threw a checked exception (unchecked ones pass through
     *         unchanged, with a suppressed {@link WasmBacktrace})
     */
    Object[] call(Object... args) {
        List<ValType> params = function.type().params();
        List<ValType> results = function.type().results();
        if (args == null) args = new Object[1]; // call(name, (Object[]) null): one null argument
        if (args.length != params.size()) {
            throw new IllegalArgumentException("function \"" + name + "\" " + function.type() + " takes "
                    + params.size() + (params.size() == 1 ? " argument" : " arguments") + ", got " + args.length);
        }
        long[] raw = new long[wide ? 2 * args.length : args.length];
        for (int i = 0; i < args.length; i++) {
            if (!WasmValues.accepts(params.get(i), args[i])) {
                throw new IllegalArgumentException("function \"" + name + "\" " + function.type() + ": parameter " + i
                        + " is " + (params.get(i) == ValType.FUNCREF || params.get(i) == ValType.V128 ? "a " : "an ")
                        + params.get(i) + " (pass " + WasmValues.boxedName(params.get(i)) + "), got "
                        + (args[i] == null ? "null" : "a " + args[i].getClass().getName()));
            }
            if (wide) {
                raw[2 * i] = WasmValues.toRaw(params.get(i), args[i]);
                raw[2 * i + 1] = WasmValues.toRawHigh(params.get(i), args[i]);
            } else {
                raw[i] = WasmValues.toRaw(params.get(i), args[i]);
            }
        }
        long[] out;
        try {
            out = FunctionCaller.call(runtime, timeoutNanos, threadInterrupts, entryAdapter, function.funcRef(), raw,
                    results.size(), wide);
        } catch (TrapException trap) {
            throw Failures.fromTrap(trap);
        }
        Object[] values = new Object[results.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = wide ? WasmValues.fromRaw(results.get(i), out[2 * i], out[2 * i + 1])
                    : WasmValues.fromRaw(results.get(i), out[i]);
        }
        java.lang.ref.Reference.reachabilityFence(keepAlive);
        return values;
    }

    private Object callForHandle(Object[] args) {
        Object[] results = call(args);
        return switch (results.length) {
            case 0 -> null;
            case 1 -> results[0];
            default -> results;
        };
    }

    /**
     * Whether the exported function is defined by the instance's own module and {@link BoundedLeaf} admits it (a
     * re-exported import never is: its code and metering belong to another module).
     */
    private boolean boundedLeaf() {
        WasmModule module = runtime.module();
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC && e.name().equals(name)) {
                int[] tree = BoundedLeaf.tree(module, e.index(), keepAlive.module().consumesFuel());
                if (tree == null) return false;
                for (int f : tree) {
                    runtime.code().prepareCriticalEntry(f);     // compiled now if lazy: no upcall in the call
                }
                return true;
            }
        }
        return false;
    }

    /**
     * A handle of the exact Java type of the function's signature: a direct one ({@link DirectCalls}: no boxing, no
     * allocation) for up to {@value DirectCalls#MAX_PARAMS} scalar parameters and at most one scalar result when
     * calls have no timeout, otherwise one that collects the arguments and goes through {@link #call}.
     */
    MethodHandle handle() {
        FuncType type = function.type();
        if (timeoutNanos == 0 && DirectCalls.supports(type)) {
            return DirectCalls.handle(type, new DirectCalls.Target(runtime, entryAdapter, function.funcRef(),
                    threadInterrupts, keepAlive, Failures::fromTrap, boundedLeaf()));
        }
        Class<?>[] params = new Class<?>[type.params().size()];
        for (int i = 0; i < params.length; i++) params[i] = WasmValues.javaType(type.params().get(i));
        Class<?> result = switch (type.results().size()) {
            case 0 -> void.class;
            case 1 -> WasmValues.javaType(type.results().getFirst());
            default -> Object[].class;
        };
        return CALL.bindTo(this).asCollector(Object[].class, params.length)
                .asType(MethodType.methodType(result, params));
    }
}
