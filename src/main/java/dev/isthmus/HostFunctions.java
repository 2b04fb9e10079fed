package dev.isthmus;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.runtime.host.HostCode;
import dev.isthmus.runtime.host.RawSlots;
import dev.isthmus.runtime.instance.RuntimeInstance;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the API's host functions ({@link HostFunction}, {@link HostFunction.WithCaller}, method handles) into the
 * runtime's {@link HostCode}, and checks a handle's Java types against a wasm signature.
 *
 * <pre>
 *   handle (Caller?, int, long, ...) → r   ──spread──▶  (Caller, Object[]) → Object[]   ──▶  HostCode(buffer, ctx)
 *                                                          ctx = the importing RuntimeInstance → Caller for the call
 *   handle (Caller?, i32/i64/f32/f64 ...) → void | one of those:  direct: (Caller?, long buffer) → void, each
 *       argument read from its slot and the result written to slot 0 (RawSlots): no box, no array
 * </pre>
 */
final class HostFunctions {
    private HostFunctions() {
    }

    /** Whether the handle's first parameter is the {@link Caller}. */
    static boolean takesCaller(MethodHandle handle) {
        MethodType type = handle.type();
        return type.parameterCount() > 0 && type.parameterType(0) == Caller.class;
    }

    /**
     * The wasm type of a handle: parameters (after an optional leading {@link Caller}) and result from its Java
     * types (void: no result).
     *
     * @throws IllegalArgumentException naming {@code module.name} when a Java type has no wasm type, or the result
     *         is {@code Object[]} (several results need the explicit signature)
     */
    static FuncType typeOf(String module, String name, MethodHandle handle) {
        MethodType type = handle.type();
        int first = takesCaller(handle) ? 1 : 0;
        List<ValType> params = new ArrayList<>();
        for (int i = first; i < type.parameterCount(); i++) {
            params.add(valType(module, name, "parameter " + (i - first), type.parameterType(i)));
        }
        Class<?> result = type.returnType();
        if (result == Object[].class) {
            throw new IllegalArgumentException(where(module, name) + "returns Object[]; for several results give "
                    + "the wasm signature: function(module, name, FuncType, MethodHandle)");
        }
        List<ValType> results = result == void.class ? List.of() : List.of(valType(module, name, "the result",
                result));
        return new FuncType(params, results);
    }

    /**
     * Checks that {@code handle} implements {@code type}: an optional leading {@link Caller}, then one parameter
     * per wasm parameter of its Java type; void for no result, the Java type of the one result, {@code Object[]}
     * for several.
     *
     * @throws IllegalArgumentException naming {@code module.name} and the first mismatch
     */
    static void check(String module, String name, FuncType type, MethodHandle handle) {
        MethodType java = handle.type();
        int first = takesCaller(handle) ? 1 : 0;
        int count = java.parameterCount() - first;
        List<ValType> params = type.params();
        if (count != params.size()) {
            throw new IllegalArgumentException(where(module, name) + "the handle takes " + count + " wasm parameter"
                    + (count == 1 ? "" : "s") + (first == 1 ? " after the Caller" : "") + " " + java
                    + ", but the wasm signature " + signature(type) + " has " + params.size());
        }
        for (int i = 0; i < count; i++) {
            Class<?> actual = java.parameterType(first + i);
            Class<?> expected = WasmValues.javaType(params.get(i));
            if (actual != expected) {
                throw new IllegalArgumentException(where(module, name) + "parameter " + i + " of the handle is "
                        + actual.getSimpleName() + ", but wasm parameter " + i + " of " + signature(type) + " is "
                        + params.get(i) + " (Java " + expected.getSimpleName() + ")");
            }
        }
        List<ValType> results = type.results();
        Class<?> expected = switch (results.size()) {
            case 0 -> void.class;
            case 1 -> WasmValues.javaType(results.getFirst());
            default -> Object[].class;
        };
        if (java.returnType() != expected) {
            throw new IllegalArgumentException(where(module, name) + "the handle returns "
                    + java.returnType().getSimpleName() + ", but " + signature(type) + " needs "
                    + expected.getSimpleName() + (results.size() > 1 ? " (one element per result)" : ""));
        }
    }

    private static ValType valType(String module, String name, String what, Class<?> javaType) {
        try {
            return WasmValues.valType(javaType);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(module, name) + what + " has Java type "
                    + javaType.getSimpleName() + ", which is no wasm type (use int, long, float, double, "
                    + "V128, FunctionRef or Object; a Caller only as the first parameter)");
        }
    }

    private static String where(String module, String name) {
        return "host function " + module + "." + name + ": ";
    }

    /** {@code [i32 i32] -> [i64]}. */
    private static String signature(FuncType type) {
        return type.params() + " -> " + type.results();
    }

    /** A generic function (with the caller) calling {@code handle}, whose types {@link #check} accepted. */
    static HostFunction.WithCaller generic(MethodHandle handle) {
        boolean caller = takesCaller(handle);
        int arity = handle.type().parameterCount() - (caller ? 1 : 0);
        Class<?> returns = handle.type().returnType();
        MethodHandle spread = handle.asSpreader(Object[].class, arity);
        if (!caller) spread = java.lang.invoke.MethodHandles.dropArguments(spread, 0, Caller.class);
        if (returns == void.class) {
            MethodHandle exact = spread.asType(MethodType.methodType(void.class, Caller.class, Object[].class));
            return (c, args) -> {
                exact.invokeExact(c, args);
                return null;
            };
        }
        if (returns == Object[].class) {
            MethodHandle exact = spread.asType(MethodType.methodType(Object[].class, Caller.class, Object[].class));
            return (c, args) -> (Object[]) exact.invokeExact(c, args);
        }
        MethodHandle exact = spread.asType(MethodType.methodType(Object.class, Caller.class, Object[].class));
        return (c, args) -> new Object[] {(Object) exact.invokeExact(c, args)};
    }

    /**
     * The runtime's form of a handle whose wasm type {@code type} has only number parameters and at most one
     * number result ({@link #typeOf} or {@link #check} accepted it), or null for other types: reads its arguments
     * from the buffer and writes its result there without boxing; a {@link Caller} is made for the call only when
     * the handle takes one.
     */
    static HostCode direct(FuncType type, MethodHandle handle) {
        if (type.results().size() > 1) return null;
        for (ValType t : type.params()) {
            if (!t.isNumeric()) return null;
        }
        if (!type.results().isEmpty() && !type.results().getFirst().isNumeric()) return null;
        boolean caller = takesCaller(handle);
        int first = caller ? 1 : 0;
        int n = type.params().size();
        MethodType java = handle.type();
        if (java.parameterCount() != first + n) return null;
        for (int i = 0; i < n; i++) {
            if (java.parameterType(first + i) != WasmValues.javaType(type.params().get(i))) return null;
        }
        Class<?> result = type.results().isEmpty() ? void.class : WasmValues.javaType(type.results().getFirst());
        if (java.returnType() != result) return null;
        MethodHandle[] readers = new MethodHandle[n];
        for (int i = 0; i < n; i++) readers[i] = RawSlots.reader(type.params().get(i), i);
        MethodHandle read = MethodHandles.filterArguments(handle, first, readers);     // (Caller?, long x n) → r
        int[] toBuffer = new int[first + n];
        for (int i = 0; i < first + n; i++) toBuffer[i] = i < first ? 0 : first;
        MethodType shape = caller ? MethodType.methodType(handle.type().returnType(), Caller.class, long.class)
                : MethodType.methodType(handle.type().returnType(), long.class);
        MethodHandle call = MethodHandles.permuteArguments(read, shape, toBuffer);    // (Caller?, long) → r
        if (!type.results().isEmpty()) {
            // writer(long buffer, r) with r from call(Caller?, long): (long, Caller?, long) → void, then one buffer
            MethodHandle written = MethodHandles.collectArguments(RawSlots.writer(type.results().getFirst()), 1, call);
            MethodType voidShape = shape.changeReturnType(void.class);
            call = MethodHandles.permuteArguments(written, voidShape, caller ? new int[] {1, 0, 1} : new int[] {0, 0});
        }
        MethodHandle invoker = call.asType(call.type().changeReturnType(void.class));
        if (!caller) return new Direct(invoker);
        // (Object context, long) → void: the Caller made, used and ended inside the one handle, so that the JIT,
        // compiling the handle's customized form as a whole, can keep the Caller out of the heap
        MethodHandle ended = MethodHandles.tryFinally(invoker, END_CALLER);
        return new DirectWithCaller(MethodHandles.filterArguments(ended, 0, NEW_CALLER));
    }

    private static final MethodHandle NEW_CALLER;
    private static final MethodHandle END_CALLER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEW_CALLER = lookup.findStatic(HostFunctions.class, "newCaller",
                    MethodType.methodType(Caller.class, Object.class));
            END_CALLER = lookup.findStatic(HostFunctions.class, "endCaller",
                    MethodType.methodType(void.class, Throwable.class, Caller.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Caller newCaller(Object context) {
        return new Caller((RuntimeInstance) context);
    }

    private static void endCaller(Throwable thrown, Caller caller, long buffer) {
        caller.end();
    }

    /** A direct host function without a caller: {@code invoker} is {@code (long buffer) → void}. */
    private record Direct(MethodHandle invoker) implements HostCode {
        @Override
        public void call(MemorySegment buffer) throws Throwable {
            invoker.invokeExact(buffer.address());
        }

        @Override
        public void call(long address, long bytes, Object context) throws Throwable {
            invoker.invokeExact(address);
        }
    }

    /**
     * A direct host function with a caller: {@code invoker} is {@code (Object context, long buffer) → void} and makes
     * the {@link Caller} for the context itself.
     */
    private record DirectWithCaller(MethodHandle invoker) implements HostCode {
        @Override
        public void call(MemorySegment buffer) throws Throwable {
            invoker.invokeExact((Object) null, buffer.address());
        }

        @Override
        public void call(MemorySegment buffer, Object context) throws Throwable {
            invoker.invokeExact(context, buffer.address());
        }

        @Override
        public void call(long address, long bytes, Object context) throws Throwable {
            invoker.invokeExact(context, address);
        }
    }

    /** The generic form without a caller, as one that ignores it. */
    static HostFunction.WithCaller ignoringCaller(HostFunction function) {
        return (caller, args) -> function.call(args);
    }

    /**
     * The runtime's form of {@code function} with signature {@code type}; a {@link Caller} is made for each call
     * only when {@code needsCaller}, and ended when the call returns or throws.
     */
    static HostCode code(FuncType type, HostFunction.WithCaller function, boolean needsCaller) {
        List<ValType> params = type.params();
        List<ValType> results = type.results();
        return new HostCode() {
            @Override
            public void call(MemorySegment buffer) throws Throwable {
                call(buffer, null);
            }

            @Override
            public void call(MemorySegment buffer, Object context) throws Throwable {
                Object[] args = new Object[params.size()];
                for (int i = 0; i < args.length; i++) {
                    long offset = ValueBuffer.offset(i);
                    long low = buffer.get(JAVA_LONG, offset);
                    args[i] = WasmValues.isWide(params.get(i))
                            ? WasmValues.fromRaw(params.get(i), low, buffer.get(JAVA_LONG, offset + 8))
                            : WasmValues.fromRaw(params.get(i), low);
                }
                Object[] out;
                if (needsCaller) {
                    Caller caller = new Caller((RuntimeInstance) context);
                    try {
                        out = function.call(caller, args);
                    } finally {
                        caller.end();
                    }
                } else {
                    out = function.call(null, args);
                }
                int count = out == null ? 0 : out.length;
                if (count != results.size()) {
                    throw new IllegalStateException("host function returned " + count + " values for " + type);
                }
                for (int i = 0; i < count; i++) {
                    if (!WasmValues.accepts(results.get(i), out[i])) {
                        throw new IllegalStateException("host function returned " + (out[i] == null ? "null"
                                : "a " + out[i].getClass().getName()) + " for result " + i + " of " + type + ", which"
                                + " takes " + WasmValues.boxedName(results.get(i)));
                    }
                    buffer.set(JAVA_LONG, ValueBuffer.offset(i), WasmValues.toRaw(results.get(i), out[i]));
                    if (WasmValues.isWide(results.get(i))) {
                        buffer.set(JAVA_LONG, ValueBuffer.offset(i) + 8, WasmValues.toRawHigh(results.get(i), out[i]));
                    }
                }
            }
        };
    }
}
