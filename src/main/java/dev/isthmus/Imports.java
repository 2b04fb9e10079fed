package dev.isthmus;

import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.host.HostCode;
import dev.isthmus.runtime.instance.ExternValue;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a module's imports resolve to, by module and field name. Built with {@link #builder()}; immutable.
 *
 * <p>Host functions, typed: {@link Builder#function(String, String, MethodHandle)} takes the wasm signature from the
 * handle's Java types ({@code int}=i32, {@code long}=i64, {@code float}=f32, {@code double}=f64,
 * {@link V128}=v128, {@link FunctionRef}=funcref, {@code Object}=externref; {@code void} = no result);
 * {@link Builder#function(String, String, FuncType, MethodHandle)} checks the handle against a given signature and
 * also takes functions with several results (returning {@code Object[]}, one element per result). Either handle may
 * take a {@link Caller} as its first parameter (it is not a wasm parameter):
 *
 * <pre>
 *   MethodHandle log = lookup.findStatic(Plugins.class, "log",
 *           MethodType.methodType(void.class, Caller.class, int.class, int.class));   // (param i32 i32)
 *   Imports imports = Imports.builder().function("env", "log", log).build();
 * </pre>
 *
 * A handle whose types do not fit is refused when it is registered, with an {@link IllegalArgumentException}
 * naming the import and the first mismatch. Host functions in generic form ({@link HostFunction},
 * {@link HostFunction.WithCaller}) take and return {@code Object[]}.
 *
 * <p>Thread safety: an {@code Imports} is immutable and may be used by any number of threads and instantiations at
 * once; its {@link Builder} is not thread-safe. The host functions themselves may be called from several threads
 * at once and must be thread-safe.
 */
public final class Imports {
    private static final Imports NONE = new Imports(Map.of(), List.of());

    private final Map<String, Map<String, ExternValue>> values;
    private final List<Object> providers;

    private Imports(Map<String, Map<String, ExternValue>> values, List<Object> providers) {
        this.values = values;
        this.providers = providers;
    }

    /** No imports at all. */
    public static Imports none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    ExternValue resolve(String module, String name) {
        Map<String, ExternValue> fields = values.get(module);
        return fields == null ? null : fields.get(name);
    }

    /** The objects whose native state the imports point into (kept reachable by the instances made with them). */
    List<Object> providers() {
        return providers;
    }

    /** Collects imports; later definitions of the same name replace earlier ones. */
    public static final class Builder {
        private final Map<String, Map<String, ExternValue>> values = new HashMap<>();
        private final List<Object> providers = new ArrayList<>();

        private Builder() {
        }

        /**
         * A Java function typed by the handle's Java types (after an optional leading {@link Caller}).
         *
         * @throws IllegalArgumentException naming the import when a Java type is no wasm type, or the handle
         *         returns {@code Object[]} (use {@link #function(String, String, FuncType, MethodHandle)})
         */
        public Builder function(String module, String name, MethodHandle handle) {
            FuncType type = HostFunctions.typeOf(module, name, handle);
            return fromHandle(module, name, type, handle);
        }

        /**
         * A Java function of signature {@code type} implemented by {@code handle}: an optional leading
         * {@link Caller}, one parameter per wasm parameter of its Java type; {@code void} for no result, the one
         * result's Java type, or {@code Object[]} (one element per result) for several.
         *
         * @throws IllegalArgumentException naming the import and the first mismatch when the handle's types do not
         *         fit {@code type}
         */
        public Builder function(String module, String name, FuncType type, MethodHandle handle) {
            HostFunctions.check(module, name, type, handle);
            return fromHandle(module, name, type, handle);
        }

        private Builder fromHandle(String module, String name, FuncType type, MethodHandle handle) {
            HostCode direct = HostFunctions.direct(type, handle);
            if (direct != null) return put(module, name, new ExternValue.HostFunction(type, direct), null);
            return host(module, name, type, HostFunctions.generic(handle), HostFunctions.takesCaller(handle));
        }

        /** A Java function of signature {@code type} in generic form. */
        public Builder function(String module, String name, FuncType type, HostFunction function) {
            return host(module, name, type, HostFunctions.ignoringCaller(function), false);
        }

        /** A Java function of signature {@code type} in generic form that gets the {@link Caller}. */
        public Builder function(String module, String name, FuncType type, HostFunction.WithCaller function) {
            return host(module, name, type, function, true);
        }

        private Builder host(String module, String name, FuncType type, HostFunction.WithCaller function,
                boolean needsCaller) {
            return put(module, name, new ExternValue.HostFunction(type, HostFunctions.code(type, function,
                    needsCaller)), null);
        }

        public Builder memory(String module, String name, Memory memory) {
            return put(module, name, new ExternValue.Memory(memory.runtime()), memory);
        }

        public Builder table(String module, String name, Table table) {
            return put(module, name, new ExternValue.Table(table.runtime()), table);
        }

        /** Provides the exception tag {@code tag} (host-made or another instance's export). */
        public Builder tag(String module, String name, Tag tag) {
            return put(module, name, new ExternValue.Tag(tag.runtime()), tag);
        }

        public Builder global(String module, String name, Global global) {
            return put(module, name, new ExternValue.Global(global.runtime()), global);
        }

        /** Every export of {@code instance} under the module name {@code module}. */
        public Builder instance(String module, Instance instance) {
            for (Map.Entry<String, ExternKind> export : instance.exportKinds().entrySet()) {
                put(module, export.getKey(), instance.extern(export.getKey()), instance);
            }
            return this;
        }

        /** One export of {@code instance} as {@code module.name}. */
        public Builder export(String module, String name, Instance instance, String exportName) {
            ExternValue value = instance.extern(exportName);
            if (value == null) throw new IllegalArgumentException("no export named " + exportName);
            return put(module, name, value, instance);
        }

        public Imports build() {
            Map<String, Map<String, ExternValue>> copy = new HashMap<>();
            values.forEach((module, fields) -> copy.put(module, Map.copyOf(fields)));
            return new Imports(Map.copyOf(copy), List.copyOf(providers));
        }

        private Builder put(String module, String name, ExternValue value, Object provider) {
            values.computeIfAbsent(module, m -> new HashMap<>()).put(name, value);
            if (provider != null && providers.stream().noneMatch(p -> p == provider)) providers.add(provider);
            return this;
        }
    }
}
