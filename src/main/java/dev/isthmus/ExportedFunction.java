package dev.isthmus;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.instance.ExternValue;
import dev.isthmus.runtime.instance.FunctionCaller;
import dev.isthmus.runtime.instance.RuntimeInstance;
import dev.isthmus.runtime.instance.NativeLifetime;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Calling one exported wasm function from Java, with Java values, and its exact-typed {@link MethodHandle}:
 *
 * <pre>
 *   (int, long, float, double, FunctionRef, Object ...) → void | the one result | Object[] (several results)
 *        └─ asCollector ─▶ call(Object[]) ─▶ raw values ─▶ FunctionCaller ─▶ entry adapter ─▶ wasm
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

    private final ExternValue.WasmFunction function;
    private final long entryAdapter;
    private final Instance keepAlive;
    private final RuntimeInstance runtime;
    private final long timeoutNanos;
    private final boolean threadInterrupts;

    ExportedFunction(ExternValue.WasmFunction function, Instance keepAlive) {
        this.function = function;
        this.entryAdapter = function.adapters().entryAdapterAddress(function.typeIndex());
        this.keepAlive = keepAlive;
        this.runtime = keepAlive.runtime();
        this.timeoutNanos = keepAlive.module().callTimeoutNanos();
        this.threadInterrupts = keepAlive.module().threadInterrupts();
    }

    FuncType type() {
        return function.type();
    }

    /**
     * Calls with Java values; returns one element per result. The call holds a use of the instance (which holds
     * one of every instance it imports from): its native state cannot be freed before the call has returned.
     *
     * @throws IllegalStateException when the instance is closed (nothing ran)
     * @throws WasmTrap when the wasm code traps (a host function's own exception passes through unchanged)
     */
    Object[] call(Object... args) {
        List<ValType> params = function.type().params();
        List<ValType> results = function.type().results();
        if (args.length != params.size()) {
            throw new IllegalArgumentException("expected " + params.size() + " arguments, got " + args.length);
        }
        long[] raw = new long[args.length];
        for (int i = 0; i < raw.length; i++) raw[i] = WasmValues.toRaw(params.get(i), args[i]);
        long[] out;
        try {
            out = FunctionCaller.call(runtime, timeoutNanos, threadInterrupts, entryAdapter, function.funcRef(), raw, results.size());
        } catch (TrapException trap) {
            throw Failures.trap(trap);
        }
        Object[] values = new Object[out.length];
        for (int i = 0; i < out.length; i++) values[i] = WasmValues.fromRaw(results.get(i), out[i]);
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

    /** A handle of the exact Java type of the function's signature. */
    MethodHandle handle() {
        FuncType type = function.type();
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
