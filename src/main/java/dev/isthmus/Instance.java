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
 * may throw {@link WasmTrap}, {@link HostException} (a host function's checked exception) or an unchecked exception a
 * host function threw (unchanged, with a suppressed {@link WasmBacktrace}). An instance may carry user data
 * ({@link #userData()}, given to {@link CompiledModule#instantiate(Imports, Object)}) for its host functions.
 *
 * <p>{@link #close()} frees the native state (memories, tables, globals and context it defined); a Cleaner closes
 * it when the instance becomes unreachable. The native state is never freed while something still uses it: each call
 * into the instance holds a use of it until it returns (or traps, or a host function's exception leaves it), and
 * every instance made with its exports as imports holds one until that instance is freed itself. Instances made with
 * its exports as imports also keep it reachable, and so do tables and globals it imported (they may hold its
 * functions).
 *
 * <p>Thread safety: thread-safe. An instance may be called from any number of threads at once, platform or virtual
 * — through {@link #call}, or through the handles of {@link #function}, which may be shared between threads and
 * invoked concurrently — and closed from any thread, also while calls are running. Each thread runs wasm on its own
 * wasm stack with its own registers, so concurrent calls never disturb each other's frames, arguments, results or
 * traps. What they share is the instance's state — memories, tables, globals — which wasm code accesses without
 * any locking: concurrent calls that write the same bytes or globals race as unsynchronized Java code would (no
 * ordering, possibly lost updates; never a crash), so a module that is called concurrently must keep its threads'
 * data apart (for example one memory region per thread) or be called under a lock. {@link #memory}, {@link #table},
 * {@link #global} and {@link #exportKinds} may be called from any thread; the objects they return are described
 * in their own classes. Host functions the instance imports may run on several threads at once.
 *
 * <p>Interruption: {@link #interrupt()} stops the calls running in the instance with a {@link WasmTrap} of kind
 * {@link TrapKind#INTERRUPTED}. Compiled code polls at every function entry (of functions that call) and every loop
 * iteration with a single load from the instance's poll page, which costs next to nothing until the page is made
 * unreadable; so any computation stops within a loop iteration or a call. Three things interrupt an instance:
 * <ul>
 * <li>{@link #interrupt()}, from any thread;</li>
 * <li>{@link Thread#interrupt()} of a thread running a call into the instance (unless the engine was built with
 *     {@link Isthmus.Builder#threadInterrupts threadInterrupts(false)}): a watchdog thread, running only while
 *     calls are in flight, notices it within a few milliseconds. As with {@link
 *     java.nio.channels.InterruptibleChannel}, the thread's interrupt status stays set: later calls on that thread
 *     are interrupted too until the status is cleared ({@link Thread#interrupted()});</li>
 * <li>a call from Java running longer than the engine's {@link Isthmus.Builder#callTimeout call timeout}.</li>
 * </ul>
 * In every case the whole instance is interrupted, exactly as by {@link #interrupt()}.
 */
public final class Instance implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CompiledModule module;
    private final RuntimeInstance runtime;
    private final List<Object> providers;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private final Object userData;
    /** Null until instantiation succeeded (a half-made instance is freed by its module, never by a Cleaner). */
    private volatile Cleaner.Cleanable cleanable;

    Instance(CompiledModule module, RuntimeInstance runtime, List<Object> providers, Object userData) {
        this.module = module;
        this.runtime = runtime;
        this.providers = providers;
        this.userData = userData;
    }

    /** Instantiation succeeded: from now on the instance is closed by {@link #close()} or its Cleaner. */
    void track() {
        cleanable = CLEANER.register(this, runtime::close);
    }

    /** The object given to {@link CompiledModule#instantiate(Imports, Object)}, or null. */
    public Object userData() {
        return userData;
    }

    RuntimeInstance runtime() {
        return runtime;
    }

    /** The module this is an instance of. */
    public CompiledModule module() {
        return module;
    }

    /**
     * The exported function {@code name} as an exact-typed handle: {@code int}, {@code long}, {@code float},
     * {@code double}, {@link V128}, {@link FunctionRef}, {@code Object} (externref) per value; {@code void}, the one
     * result, or {@code Object[]} for several.
     */
    public MethodHandle function(String name) {
        return handles.computeIfAbsent(name, n -> exported(n).handle());
    }

    /** The signature of the exported function {@code name}. */
    public FuncType functionType(String name) {
        return ((ExternValue.WasmFunction) export(name, ExternKind.FUNC)).type();
    }

    /**
     * Calls the exported function {@code name} with Java values (Integer, Long, Float, Double, {@link V128},
     * {@link FunctionRef} or null, any Object or null for externref); one element per result.
     */
    public Object[] call(String name, Object... args) {
        return exported(name).call(args);
    }

    /** The exported memory {@code name}. */
    public Memory memory(String name) {
        Memory value = new Memory(((ExternValue.Memory) export(name, ExternKind.MEMORY)).memory(), false);
        value.exporter = this;
        return value;
    }

    public Table table(String name) {
        Table value = new Table(((ExternValue.Table) export(name, ExternKind.TABLE)).table(), false);
        value.exporter = this;
        return value;
    }

    public Global global(String name) {
        Global value = new Global(((ExternValue.Global) export(name, ExternKind.GLOBAL)).cell(), false);
        value.exporter = this;
        return value;
    }

    /** The exported exception tag {@code name}. */
    public Tag tag(String name) {
        return new Tag(((ExternValue.Tag) export(name, ExternKind.TAG)).tag());
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
        return new ExportedFunction(name, f, this);
    }

    private ExternValue export(String name, ExternKind kind) {
        checkOpen();
        for (Export e : runtime.module().exports()) {
            if (e.name().equals(name)) {
                if (e.kind() != kind) {
                    throw new IllegalArgumentException("export \"" + name + "\" is a " + word(e.kind()) + ", not a "
                            + word(kind));
                }
                return runtime.export(name);
            }
        }
        throw new IllegalArgumentException("no export named \"" + name + "\"");
    }

    private static String word(ExternKind kind) {
        return kind == ExternKind.FUNC ? "function" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    void checkOpen() {
        if (runtime.isClosed()) throw new IllegalStateException("instance is closed");
    }

    /**
     * Interrupts the calls into this instance running at this moment, on any thread: each traps with
     * {@link TrapKind#INTERRUPTED} at its next function entry or loop iteration in this instance's code (a call
     * that is inside a host function, or in code of another instance it imports, traps when it comes back to this
     * instance's code). The trap's backtrace names the function and instruction where the call stopped.
     *
     * <p>The instance stays usable: the interruption ends as soon as no call from Java into the instance is in
     * flight any more (the interrupted calls have returned their trap to their callers), and the next call runs
     * normally. Calls that start while interrupted calls are still on their way out are interrupted too. With no
     * call in flight this does nothing. Other instances, of the same module or not, are never affected (each has
     * its own poll page). Thread-safe; cheap (one {@code mprotect}).
     *
     * @return whether calls were running (so they are being interrupted)
     */
    public boolean interrupt() {
        return runtime.interrupt();
    }

    /**
     * Sets the fuel this instance has left ({@link Isthmus.Builder#consumeFuel}): the budget its calls consume
     * from, as wasmtime's {@code Store::set_fuel}. Fuel is checked at function entries and loop headers; a call
     * that finds it exhausted there traps with {@link TrapKind#OUT_OF_FUEL} (or asks the {@link FuelHandler}).
     * Calls running in the instance on other threads share the same counter (their counts then interleave without
     * synchronization: exact only for one thread at a time).
     *
     * @throws IllegalStateException when the module was compiled without fuel metering, or the instance is closed
     */
    public void setFuel(long fuel) {
        checkFuel();
        runtime.setFuel(fuel);
    }

    /**
     * The fuel left: what {@link #setFuel} gave (plus what handlers added) minus what was consumed since; 0 when
     * the consumption went past it (it is checked only at function entries and loop headers, and a run of
     * straight-line code is charged when it starts).
     *
     * @throws IllegalStateException when the module was compiled without fuel metering, or the instance is closed
     */
    public long fuel() {
        checkFuel();
        return runtime.fuel();
    }

    /**
     * Replaces the handler asked when this instance's fuel runs out (null: none, the call traps with
     * {@link TrapKind#OUT_OF_FUEL}); the engine's {@link Isthmus.Builder#fuelHandler} is the initial one.
     *
     * @throws IllegalStateException when the module was compiled without fuel metering, or the instance is closed
     */
    public void setFuelHandler(FuelHandler handler) {
        checkFuel();
        runtime.fuelRefill(refill(runtime, handler));
    }

    private void checkFuel() {
        checkOpen();
        if (!runtime.fuelMetered()) {
            throw new IllegalStateException("fuel is not enabled: compile with Isthmus.builder().consumeFuel(true)");
        }
    }

    /** The runtime's refill for {@code handler} (null for none); reaches the API instance weakly. */
    static RuntimeInstance.FuelRefill refill(RuntimeInstance runtime, FuelHandler handler) {
        if (handler == null) return null;
        return () -> handler.onFuelExhausted(runtime.attached() instanceof Instance i ? i : null);
    }

    /** The lifetime every call into this instance holds a use of. */
    dev.isthmus.runtime.instance.NativeLifetime lifetime() {
        return runtime.lifetime();
    }

    /**
     * Closes the instance and frees its native state. Idempotent, thread-safe.
     *
     * <p>From the moment it is called, new calls into the instance (through {@link #call}, handles obtained earlier
     * with {@link #function}, or instantiating a module with its exports) fail with
     * {@code IllegalStateException("instance is closed")} before anything runs. Calls already running are never
     * cut short and their memory is never unmapped under them:
     * <ul>
     * <li>called from a thread that is not inside a wasm call, it waits until the calls running on other threads
     *     have returned, then the native state is freed and it returns (a call that never returns makes it wait
     *     forever: stop such code first);</li>
     * <li>called from inside a wasm call on the same thread (from a host function, whichever instance that call
     *     entered), it cannot wait for the calls below it on its own stack, so it returns at once and the native
     *     state is freed soon after the last call of this instance has returned, by the daemon thread
     *     {@code isthmus-call-drain};</li>
     * <li>in both cases, while instances made with this instance's exports as imports are alive, the native state
     *     (which they share) stays allocated until the last of them is freed; close does not wait for that.</li>
     * </ul>
     */
    @Override
    public void close() {
        Cleaner.Cleanable registered = cleanable;
        if (registered == null) return;                          // half-made: its module frees it
        registered.clean();
        runtime.closeAndWait();
        java.lang.ref.Reference.reachabilityFence(providers);
    }
}
