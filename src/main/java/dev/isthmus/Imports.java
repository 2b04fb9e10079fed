package dev.isthmus;

import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.instance.ExternValue;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a module's imports resolve to, by module and field name. Built with {@link #builder()}; immutable.
 *
 * <p>Host functions: {@link Builder#function(String, String, MethodHandle)} takes the wasm signature from the
 * handle's Java types ({@code int}=i32, {@code long}=i64, {@code float}=f32, {@code double}=f64,
 * {@link FunctionRef}=funcref, {@code Object}=externref; {@code void} = no result); functions with several results
 * use the generic form {@link Builder#function(String, String, FuncType, HostFunction)}.
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

        /** A Java function typed by the handle's Java types. */
        public Builder function(String module, String name, MethodHandle handle) {
            return function(module, name, HostFunctions.typeOf(handle), HostFunctions.generic(handle));
        }

        /** A Java function of signature {@code type} in generic form. */
        public Builder function(String module, String name, FuncType type, HostFunction function) {
            return put(module, name, new ExternValue.HostFunction(type, HostFunctions.code(type, function)), null);
        }

        public Builder memory(String module, String name, Memory memory) {
            return put(module, name, new ExternValue.Memory(memory.runtime()), memory);
        }

        public Builder table(String module, String name, Table table) {
            return put(module, name, new ExternValue.Table(table.runtime()), table);
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
