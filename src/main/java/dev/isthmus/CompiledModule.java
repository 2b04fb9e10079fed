package dev.isthmus;

import dev.isthmus.model.WasmModule;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.runtime.instance.InstantiationTrap;
import dev.isthmus.runtime.instance.Instantiator;
import dev.isthmus.runtime.instance.LinkFailure;
import dev.isthmus.runtime.instance.ModuleCode;
import dev.isthmus.runtime.instance.NativeLifetime;
import dev.isthmus.runtime.instance.ResourceLimitExceeded;
import dev.isthmus.runtime.instance.RuntimeInstance;
import dev.isthmus.runtime.memory.GrowLimits;
import dev.isthmus.serialize.CodeFileException;
import dev.isthmus.serialize.ModuleImage;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated, compiled module, ready to instantiate any number of times, from any thread.
 *
 * <p>Thread safety: thread-safe. {@link #instantiate} may run on any number of threads at once (each instance is
 * independent; instances share only the read-only machine code and whatever imports they are given);
 * {@link #close()} and {@link #interrupt()} may be called from any thread, also while instances run.
 */
public final class CompiledModule {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Modules whose instantiation trapped: tables they wrote into may still point at their code. */
    private static final List<CompiledModule> RETAINED = new ArrayList<>();
    /** Half-made instances of trapped instantiations (freed by {@link #close()}). */
    private final List<RuntimeInstance> abandoned = new ArrayList<>();
    private boolean closed;

    private final WasmModule module;
    private final ModuleCode code;
    private final BoundsChecks boundsChecks;
    private final Cleaner.Cleanable cleanable;

    private final long callTimeoutNanos;
    private final boolean threadInterrupts;
    private final EngineLimits limits;

    /** What a code file of this module holds, or null (compiled by another code generator, or from a model). */
    /** What {@link #serialize()} writes, made on first use (a module compiled lazily is compiled eagerly then). */
    private final java.util.function.Supplier<ModuleImage> image;

    CompiledModule(WasmModule module, ModuleCode code, BoundsChecks boundsChecks, long callTimeoutNanos,
                   boolean threadInterrupts, EngineLimits limits, java.util.function.Supplier<ModuleImage> image) {
        this.image = image;
        this.limits = limits;
        this.callTimeoutNanos = callTimeoutNanos;
        this.threadInterrupts = threadInterrupts;
        this.module = module;
        this.code = code;
        this.boundsChecks = boundsChecks;
        this.cleanable = CLEANER.register(this, () -> {
            if (code instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // nothing to report to: the module is unreachable or being closed
                }
            }
        });
    }

    private boolean fuel;
    private long initialFuel;
    private FuelHandler fuelHandler;

    /** Called once by the engine, before the module is handed out: its code meters fuel. */
    /** The module's loaded code (tests of lazy compilation look into it). */
    ModuleCode code() {
        return code;
    }

    void meterFuel(long initialFuel, FuelHandler handler) {
        this.fuel = true;
        this.initialFuel = initialFuel;
        this.fuelHandler = handler;
    }

    /** Whether this module's code meters fuel ({@link Isthmus.Builder#consumeFuel}). */
    public boolean consumesFuel() {
        return fuel;
    }

    long callTimeoutNanos() {
        return callTimeoutNanos;
    }

    boolean threadInterrupts() {
        return threadInterrupts;
    }

    /** The decoded module. */
    public WasmModule module() {
        return module;
    }

    /**
     * This module as a code file ({@code .ism}; wasmtime's {@code Module::serialize}): the machine code and what
     * loading it needs, keyed by this build of Isthmus, the engine's compiler options and the CPU features the code
     * uses. {@link Isthmus#deserialize} loads it back without compiling, in this process or another, with an
     * engine of the same build and options on a CPU with those features. The first call compiles the module a
     * second time (to find the type ids in its code, docs/architecture.md, "Code files") if it has a table; a
     * module loaded from a code file writes the same file again without compiling. A module compiled lazily
     * ({@link dev.isthmus.options.Compilation}) is compiled eagerly by the first call: a code file holds eager code.
     * For this every module compiled from bytes keeps a copy of its binary (the text format: the binary it was
     * encoded to).
     *
     * @throws CodeFileRejectedException of kind {@code NOT_SERIALIZABLE} when the module was compiled from a
     *         decoded {@link WasmModule} (no binary to keep) or by another code generator
     */
    public byte[] serialize() {
        ModuleImage image = this.image == null ? null : this.image.get();
        if (image == null) {
            throw new CodeFileRejectedException(CodeFileRejectedException.Kind.NOT_SERIALIZABLE, "this module was "
                    + "compiled from a decoded WasmModule or by another code generator; compile it from its bytes to"
                    + " write it as a code file");
        }
        try {
            return image.toCodeFile();
        } catch (CodeFileException e) {
            throw new CodeFileRejectedException(e);
        }
    }

    /** Writes {@link #serialize()} to {@code out}. */
    public void serialize(OutputStream out) throws IOException {
        out.write(serialize());
    }

    /**
     * Writes {@link #serialize()} to {@code file} atomically: to a temporary file in the same directory, then
     * renamed over {@code file}, so a reader never sees half a file.
     */
    public void serialize(Path file) throws IOException {
        byte[] bytes = serialize();
        Path target = file.toAbsolutePath();
        // not Files.createTempFile: that makes the file 0600; this one gets the permissions the umask gives
        Path temp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime())
                + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId() + ".tmp");
        try {
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Instantiates a module that has no imports. */
    public Instance instantiate() {
        return instantiate(Imports.none());
    }

    /**
     * Links and instantiates: resolves the imports, initialises tables and memories from the active segments,
     * runs the start function.
     *
     * @throws UnlinkableException when an import is missing or has the wrong type
     * @throws UninstantiableException when a segment does not fit or the start function traps, or a resource limit
     *     is exceeded (a table of more than 10,000,000 elements, or the engine's {@link ResourceLimits}: a declared
     *     minimum above them, or as many live instances as allowed), or the engine's {@link ResourceLimiter} refused
     *     an initial size
     * @throws HostException when a host function called by the start function threw a checked exception (an
     *         unchecked one is rethrown unchanged)
     */
    public Instance instantiate(Imports imports) {
        return instantiate(imports, null);
    }

    /**
     * Like {@link #instantiate(Imports)}, attaching {@code userData} to the new instance: host functions reach it
     * through {@link Caller#data()} when this instance calls them (also from the start function), and
     * {@link Instance#userData()} returns it. Typically a per-request or per-tenant object: compile once, build the
     * imports once, and instantiate per request with its own data. Isthmus never looks at it.
     *
     * @param userData any object, or null
     * @throws UnlinkableException when an import is missing or has the wrong type
     * @throws UninstantiableException when a segment does not fit or the start function traps
     * @throws HostException when a host function called by the start function threw a checked exception (an
     *         unchecked one is rethrown unchanged)
     */
    public Instance instantiate(Imports imports, Object userData) {
        return instantiate(imports, userData, limits.growLimits);
    }

    /**
     * Like {@link #instantiate(Imports, Object)}, with {@code limiter} deciding the grows of this instance's
     * memories and tables instead of the engine's {@link Isthmus.Builder#limiter} (the engine's
     * {@link ResourceLimits} still apply first): for example one limiter per tenant, accounting its memory.
     *
     * @param limiter the instance's limiter, or null for none (not even the engine's)
     * @throws UninstantiableException also when {@code limiter} refused an initial size
     */
    public Instance instantiate(Imports imports, Object userData, ResourceLimiter limiter) {
        return instantiate(imports, userData, limits.growLimits(limiter));
    }

    private Instance instantiate(Imports imports, Object userData, GrowLimits growLimits) {
        // The new instance holds a use of every instance whose exports it imports (functions, memories, tables,
        // globals) until it is freed itself, so closing one of those never frees state it still uses.
        List<NativeLifetime> dependencies = new ArrayList<>();
        try {
            for (Object provider : imports.providers()) {
                Instance exporter = switch (provider) {
                    case Instance instance -> instance;
                    case Memory memory -> memory.exporter;
                    case Table table -> table.exporter;
                    case Global global -> global.exporter;
                    default -> null;
                };
                if (exporter != null && dependencies.stream().noneMatch(d -> d == exporter.lifetime())) {
                    exporter.lifetime().acquireDependant();
                    dependencies.add(exporter.lifetime());
                }
            }
        } catch (IllegalStateException closed) {
            dependencies.forEach(NativeLifetime::releaseDependant);
            throw new IllegalStateException("an instance whose exports are imported is closed", closed);
        }
        Runnable releaseSlot;
        try {
            releaseSlot = limits == EngineLimits.NONE ? () -> { }
                    : limits.acquireInstance(module.memories().size(), module.tables().size());
        } catch (UninstantiableException e) {
            dependencies.forEach(NativeLifetime::releaseDependant);
            throw e;
        }
        RuntimeInstance runtime;
        // made before the segments are applied and the start function runs, so that host functions it calls find
        // their Caller's instance; its Cleaner is registered only once instantiation has succeeded
        Instance[] made = new Instance[1];
        try {
            runtime = Instantiator.instantiate(module, code, imports::resolve, boundsChecks, dependencies,
                    allocated -> {
                        allocated.onFree(releaseSlot);
                        made[0] = new Instance(this, allocated, imports.providers(), userData);
                        allocated.attach(made[0]);
                        if (fuel) allocated.enableFuel(initialFuel, Instance.refill(allocated, fuelHandler));
                    }, growLimits, callTimeoutNanos, threadInterrupts);
        } catch (LinkFailure e) {
            releaseSlot.run();
            throw new UnlinkableException(e.getMessage(), e);
        } catch (GrowLimits.Refusal e) {                        // the limiter threw for an initial size
            releaseSlot.run();
            throw Failures.limiterThrew(e);
        } catch (InstantiationTrap e) {
            releaseSlot.run();                                  // the half-made instance is not alive for the count
            synchronized (RETAINED) {
                RETAINED.add(this);
                abandoned.add(e.abandoned());
            }
            if (e.trap().hostThrowable() != null) throw Failures.fromTrap(e.trap());
            throw new UninstantiableException(Failures.trap(e.trap()));
        } catch (ResourceLimitExceeded e) {
            releaseSlot.run();
            throw new UninstantiableException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            releaseSlot.run();
            throw e;
        }
        runtime.limits(threadInterrupts);
        Instance instance = made[0];
        instance.track();
        // Imported tables and globals may now hold this instance's func refs: they keep it (and its code) alive.
        for (int i = 0; i < module.importedTableCount(); i++) runtime.table(i).retain(instance);
        for (int i = 0; i < module.importedGlobalCount(); i++) runtime.global(i).retain(instance);
        return instance;
    }

    /**
     * Closes the module: later instantiations fail with IllegalStateException, and the machine code (and the
     * half-made instances of instantiations that trapped) is freed, instead of when the module becomes
     * unreachable. Idempotent, thread-safe.
     *
     * <p>Every instance holds a use of its module's code until the instance's native state is freed, so the code
     * is never unmapped under an instance: with no instance alive the code is unmapped before this returns;
     * otherwise this returns at once and the code is unmapped when the last instance is freed (after its own
     * {@link Instance#close()} and its last call, or its Cleaner). It never waits. Func refs of this module's
     * functions stored in tables of instances of other modules that do not import from its instances are not
     * counted: close those instances first.
     */
    public void close() {
        synchronized (RETAINED) {
            if (closed) return;
            closed = true;
            for (RuntimeInstance instance : abandoned) instance.close();
            abandoned.clear();
            RETAINED.remove(this);
        }
        cleanable.clean();
    }

    /**
     * Interrupts every live instance of this module ({@link Instance#interrupt()}): the calls running in them trap
     * with {@link TrapKind#INTERRUPTED}; the instances stay usable and later calls run normally. For a watchdog that
     * does not know the instances.
     *
     * @return how many instances had calls running (and were interrupted)
     */
    public int interrupt() {
        return RuntimeInstance.interruptAll(code);
    }
}
