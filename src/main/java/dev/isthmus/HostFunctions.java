package dev.isthmus;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.runtime.host.HostCode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/** Turns the API's host functions ({@link HostFunction}, method handles) into the runtime's {@link HostCode}. */
final class HostFunctions {
    private HostFunctions() {
    }

    /** The wasm type of a handle: parameters and result from its Java types (void: no result). */
    static FuncType typeOf(MethodHandle handle) {
        MethodType type = handle.type();
        List<ValType> params = new ArrayList<>();
        for (Class<?> p : type.parameterList()) params.add(WasmValues.valType(p));
        List<ValType> results = type.returnType() == void.class ? List.of()
                : List.of(WasmValues.valType(type.returnType()));
        return new FuncType(params, results);
    }

    /** A generic function calling {@code handle} (whose type matches {@link #typeOf}). */
    static HostFunction generic(MethodHandle handle) {
        int arity = handle.type().parameterCount();
        boolean returns = handle.type().returnType() != void.class;
        MethodHandle spread = handle.asSpreader(Object[].class, arity)
                .asType(MethodType.methodType(returns ? Object.class : void.class, Object[].class));
        if (returns) return args -> new Object[] {(Object) spread.invokeExact(args)};
        return args -> {
            spread.invokeExact(args);
            return null;
        };
    }

    /** The runtime's form of {@code function} with signature {@code type}. */
    static HostCode code(FuncType type, HostFunction function) {
        List<ValType> params = type.params();
        List<ValType> results = type.results();
        return buffer -> {
            Object[] args = new Object[params.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = WasmValues.fromRaw(params.get(i), buffer.get(JAVA_LONG, ValueBuffer.offset(i)));
            }
            Object[] out = function.call(args);
            int count = out == null ? 0 : out.length;
            if (count != results.size()) {
                throw new IllegalStateException("host function returned " + count + " values for " + type);
            }
            for (int i = 0; i < count; i++) {
                buffer.set(JAVA_LONG, ValueBuffer.offset(i), WasmValues.toRaw(results.get(i), out[i]));
            }
        };
    }
}
