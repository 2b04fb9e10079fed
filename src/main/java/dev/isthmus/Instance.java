package dev.isthmus;

import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.instance.ExternValue;
import dev.isthmus.runtime.instance.RuntimeInstance;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An instantiated module: its exports as Java objects. {@link #function} gives an exact-typed {@link MethodHandle}
 * ({@code (int,int)int} for {@code [i32 i32] -> [i32]}; several results come back as {@code Object[]}); calling it
 * may throw {@link WasmTrap} or whatever a host function threw.
 *
 * <p>{@link #close()} frees the native state (memories, tables, globals and context it defined); a Cleaner does it
 * when the instance becomes unreachable. Instances made with its exports as imports keep it reachable, and so do
 * tables and globals it imported (they may hold its functions); close it explicitly only after everything that may
 * still call its functions.
 */
public final class Instance implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CompiledModule module;
    private final RuntimeInstance runtime;
    private final List<Object> providers;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private final Cleaner.Cleanable cleanable;

    Instance(CompiledModule module, RuntimeInstance runtime, List<Object> providers) {
        this.module = module;
        this.runtime = runtime;
        this.providers = providers;
        this.cleanable = CLEANER.register(this, runtime::close);
    }

    /** The module this is an instance of. */
    public CompiledModule module() {
        return module;
    }

    /** The exported function {@code name} as an exact-typed handle. */
    public MethodHandle function(String name) {
        return handles.computeIfAbsent(name, n -> exported(n).handle());
    }

    /** The signature of the exported function {@code name}. */
    public FuncType functionType(String name) {
        return ((ExternValue.WasmFunction) export(name, ExternKind.FUNC)).type();
    }

    /** Calls the exported function {@code name} with Java values; one element per result. */
    public Object[] call(String name, Object... args) {
        return exported(name).call(args);
    }

    /** The exported memory {@code name}. */
    public Memory memory(String name) {
        return new Memory(((ExternValue.Memory) export(name, ExternKind.MEMORY)).memory(), false);
    }

    public Table table(String name) {
        return new Table(((ExternValue.Table) export(name, ExternKind.TABLE)).table(), false);
    }

    public Global global(String name) {
        return new Global(((ExternValue.Global) export(name, ExternKind.GLOBAL)).cell(), false);
    }

    /** The names and kinds of all exports, in module order. */
    public Map<String, ExternKind> exportKinds() {
        Map<String, ExternKind> out = new LinkedHashMap<>();
        for (Export e : runtime.module().exports()) out.put(e.name(), e.kind());
        return out;
    }

    /** The runtime's value of export {@code name} (null if none), tied to this instance's lifetime. */
    ExternValue extern(String name) {
        ExternValue value = runtime.export(name);
        if (value instanceof ExternValue.WasmFunction f) {
            return new ExternValue.WasmFunction(f.funcRef(), f.type(), f.adapters(), f.typeIndex(), this);
        }
        return value;
    }

    private ExportedFunction exported(String name) {
        ExternValue.WasmFunction f = (ExternValue.WasmFunction) export(name, ExternKind.FUNC);
        return new ExportedFunction(f, this);
    }

    private ExternValue export(String name, ExternKind kind) {
        checkOpen();
        for (Export e : runtime.module().exports()) {
            if (e.name().equals(name)) {
                if (e.kind() != kind) {
                    throw new IllegalArgumentException("export " + name + " is a " + e.kind() + ", not a " + kind);
                }
                return runtime.export(name);
            }
        }
        throw new IllegalArgumentException("no export named " + name);
    }

    void checkOpen() {
        if (runtime.isClosed()) throw new IllegalStateException("instance is closed");
    }

    /** Frees the native state. Idempotent. Calls through handles obtained earlier then throw IllegalStateException. */
    @Override
    public void close() {
        cleanable.clean();
        java.lang.ref.Reference.reachabilityFence(providers);
    }
}
