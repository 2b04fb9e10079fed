package dev.isthmus.fuzz;

import dev.isthmus.model.ValType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host side of binaryen's {@code fuzzing-support} module as its interpreter implements it: {@code log-i32},
 * {@code log-i64}, {@code log-f32} and {@code log-f64} record their argument and return nothing. (binaryen 108's
 * {@code -ttf} imports nothing else without reference types or exceptions; {@link #IMPORT_NAMES} lists what the
 * corpus may import, and the corpus test checks it.)
 */
final class FuzzingSupport {
    /** The import module name. */
    static final String MODULE = "fuzzing-support";

    /** Every import name this host implements, with the type of its single parameter. */
    static final Map<String, ValType> IMPORT_NAMES = Map.of(
            "log-i32", ValType.I32, "log-i64", ValType.I64, "log-f32", ValType.F32, "log-f64", ValType.F64);

    /** One log call: the parameter type of the import and the value passed. */
    record Logged(ValType type, Object value) {
    }

    private final List<Logged> logged = new ArrayList<>();

    /** The import functions by name, as handles of exact Java types: (int)void, (long)void, (float)void, (double)void. */
    Map<String, MethodHandle> functions() {
        Map<String, MethodHandle> functions = new LinkedHashMap<>();
        functions.put("log-i32", handle("logI32", int.class));
        functions.put("log-i64", handle("logI64", long.class));
        functions.put("log-f32", handle("logF32", float.class));
        functions.put("log-f64", handle("logF64", double.class));
        return functions;
    }

    /** The values logged since the last call, and forgets them. */
    List<Logged> drain() {
        List<Logged> copy = List.copyOf(logged);
        logged.clear();
        return copy;
    }

    private void logI32(int value) {
        logged.add(new Logged(ValType.I32, value));
    }

    private void logI64(long value) {
        logged.add(new Logged(ValType.I64, value));
    }

    private void logF32(float value) {
        logged.add(new Logged(ValType.F32, value));
    }

    private void logF64(double value) {
        logged.add(new Logged(ValType.F64, value));
    }

    private MethodHandle handle(String method, Class<?> parameter) {
        try {
            return MethodHandles.lookup()
                    .findVirtual(FuzzingSupport.class, method, MethodType.methodType(void.class, parameter))
                    .bindTo(this);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
