package dev.isthmus.runtime.instance;

import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.MemoryMapping;
import dev.isthmus.os.NativeHeap;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.model.Export;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.host.HostBridge;
import dev.isthmus.runtime.memory.LinearMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The native state of one wasm instance: its context (vmctx, laid out by {@link VmContextLayout}) and the memories,
 * tables, globals and segments it reaches, owned or imported. Made by {@link Instantiator}.
 *
 * <pre>
 *   RuntimeInstance ──▶ poll page (PROT_READ; PROT_NONE while interrupted: see interrupt())
 *                   ──▶ vmctx (mmap, page-aligned, just above the poll page)
 *                                       memoryBase/memorySize ◀─ mirrored by LinearMemory 0
 *                                       memories[k-1].base/size ◀─ mirrored by LinearMemory k (k ≥ 1)
 *                                       runtime = id ──▶ RuntimeInstance (for builtins)
 *                                       funcRefs[], tables[] ──▶ TableInstance headers, globals[] ──▶ GlobalCells
 *                   ──▶ passive data / element segments (until dropped)
 *                   ──▶ host records of imported Java functions
 * </pre>
 */
public final class RuntimeInstance implements AutoCloseable {
    private static final Map<Long, RuntimeInstance> BY_ID = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    final WasmModule module;
    final ModuleCode code;
    final VmContextLayout layout;
    final long vmctx;
    /** The mapping holding the poll page and the vmctx after it, and its length. */
    private final long mapping;
    private final long mappingBytes;
    /** Guards the poll page's protection, its fault-region registration and the unmapping. */
    private final Object pollLock = new Object();
    /** Set while the poll page is unreadable (written under pollLock, read by every call's exit). */
    volatile boolean interruptPending;
    /** The poll page as a fault region (INTERRUPTED), registered on the first interrupt; under pollLock. */
    private Registration pollRegion;
    private boolean unmapped;
    /** Whether Thread.interrupt() of a calling thread interrupts this instance (read by CallWatchdog). */
    volatile boolean threadInterrupts = true;
    final long id = NEXT_ID.getAndIncrement();
    /**
     * The word the entry trampoline reads before every call from Java: 0 while open, 1 once closing
     * ({@link ActiveCalls}). Outside the vmctx, and freed only with this object, so a refused call never reads
     * freed memory.
     */
    private final MemorySegment guard = Arena.ofAuto().allocate(8, 8);
    final long guardAddress = guard.address();
    private boolean guardSet;
    final LinearMemory[] memories;
    final TableInstance[] tables;
    final GlobalCell[] globals;
    /** The tags of the tag index space: imported ones (the exporter's objects), then this instance's own. */
    final TagInstance[] tags;
    final byte[][] dataSegments;
    final long[][] elementSegments;
    final List<AutoCloseable> owned = new ArrayList<>();
    final List<Long> hostRecords = new ArrayList<>();
    final List<Object> keepAlive = new ArrayList<>();
    /** Owner reference, calls in flight, instances importing from this one. */
    private final NativeLifetime lifetime = new NativeLifetime("instance", this::free);
    private volatile java.lang.ref.WeakReference<Object> embedder;
    /** Uses this instance holds until it is freed: its code's, and those of the instances it imports from. */
    private final List<NativeLifetime> dependencies;

    RuntimeInstance(WasmModule module, ModuleCode code) {
        this(module, code, List.of());
    }

    /**
     * An instance of {@code code}; takes over {@code dependencies}, uses already acquired (of the instances whose
     * exports it imports), and gives them back when freed, or at once if this constructor throws.
     */
    RuntimeInstance(WasmModule module, ModuleCode code, List<NativeLifetime> dependencies) {
        NativeLifetime codeLifetime = code.lifetime();
        try {
            if (codeLifetime != null) codeLifetime.acquireDependant();
        } catch (RuntimeException e) {
            dependencies.forEach(NativeLifetime::releaseDependant);
            throw e;
        }
        List<NativeLifetime> held = new ArrayList<>(dependencies);
        if (codeLifetime != null) held.add(codeLifetime);
        this.dependencies = held;
        this.module = module;
        this.code = code;
        this.layout = VmContextLayout.of(module);
        long page = VmContextLayout.POLL_PAGE_SIZE;
        long bytes = page + (layout.size() + page - 1) / page * page;
        long base;
        try {
            base = MemoryMapping.mapAnonymous(bytes, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
            try {
                MemoryMapping.mprotect(base, page, LinuxConstants.PROT_READ);
            } catch (RuntimeException | Error e) {
                MemoryMapping.munmap(base, bytes);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            held.forEach(NativeLifetime::releaseDependant);
            throw e;
        }
        this.mapping = base;
        this.mappingBytes = bytes;
        this.vmctx = base + page;
        this.memories = new LinearMemory[module.memoryCount()];
        this.tables = new TableInstance[module.tableCount()];
        this.globals = new GlobalCell[module.globalCount()];
        this.tags = new TagInstance[module.tagCount()];
        this.dataSegments = new byte[module.data().size()][];
        this.elementSegments = new long[module.elements().size()][];
        NativeHeap.putLong(vmctx + layout.runtime(), id);
        BY_ID.put(id, this);
    }

    /**
     * Interrupts the calls running in this instance: makes the poll page unreadable, so each of them traps with
     * {@link TrapCode#INTERRUPTED} at its next safepoint poll (a function entry or a loop iteration in this
     * instance's code; a call inside a host function or another instance's code when it gets back here). The page
     * is made readable again by the drain thread of {@link ActiveCalls} soon after no call into this instance is in
     * flight any more; calls that start before that are interrupted too. With no call in flight it does nothing (a
     * call that is just starting, on another thread, may or may not be interrupted).
     *
     * @return whether calls were in flight (so the instance is now interrupted)
     */
    public boolean interrupt() {
        synchronized (pollLock) {
            if (unmapped) return false;
            if (interruptPending) return true;
            interruptPending = true;
            if (!ActiveCalls.inFlight(id, false)) {
                interruptPending = false;
                return false;
            }
            if (pollRegion == null) {
                pollRegion = FaultTables.registerFaultRegion(vmctx - VmContextLayout.POLL_PAGE_SIZE, vmctx,
                        TrapCode.INTERRUPTED);
            }
            MemoryMapping.mprotect(mapping, VmContextLayout.POLL_PAGE_SIZE, LinuxConstants.PROT_NONE);
        }
        ActiveCalls.whenNoCalls(id, this::rearm);
        return true;
    }

    /**
     * Makes the poll page readable again if it is not and no call is in this instance any more: by every call from
     * Java that leaves while {@link #interruptPending}, and by the drain thread (which catches the last call when
     * it left just as the interrupt began).
     */
    void rearm() {
        synchronized (pollLock) {
            if (!interruptPending || unmapped || ActiveCalls.inFlight(id, false)) return;
            MemoryMapping.mprotect(mapping, VmContextLayout.POLL_PAGE_SIZE, LinuxConstants.PROT_READ);
            interruptPending = false;
        }
    }

    /** Interrupts every live instance of {@code code} ({@link #interrupt()}); returns how many were interrupted. */
    public static int interruptAll(ModuleCode code) {
        int count = 0;
        for (RuntimeInstance instance : BY_ID.values()) {
            if (instance.code == code && instance.interrupt()) count++;
        }
        return count;
    }

    /**
     * Sets whether {@link Thread#interrupt()} of a thread calling into this instance interrupts it (the engine's
     * setting, for {@link CallWatchdog}; the calls themselves pass it, and the call timeout, to
     * {@link FunctionCaller}).
     */
    public void limits(boolean threadInterrupts) {
        this.threadInterrupts = threadInterrupts;
    }

    /** The instance whose context is {@code vmctx} (for runtime builtins). */
    /** The live instance with {@code id}, or null once it is freed. */
    static RuntimeInstance byId(long id) {
        return BY_ID.get(id);
    }

    static RuntimeInstance ofContext(long vmctx) {
        RuntimeInstance instance = BY_ID.get(NativeHeap.getLong(vmctx + RUNTIME_FIELD));
        if (instance == null) throw new IllegalStateException("no live instance has context " + vmctx);
        return instance;
    }

    /** The offset of {@code vmctx.runtime}: in the fixed part of the layout, the same for every module. */
    private static final long RUNTIME_FIELD = VmContextLayout.of(new WasmModule(List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), WasmModule.NO_START, List.of(), WasmModule.NO_DATA_COUNT,
            List.of(), List.of(), List.of(), null)).runtime();

    public WasmModule module() {
        return module;
    }

    /** The machine code this instance runs. */
    public ModuleCode code() {
        return code;
    }

    /** The context's address. */
    public long vmctx() {
        return vmctx;
    }

    /** The address of function {@code index}'s func ref in the context. */
    public long funcRef(int index) {
        return vmctx + layout.funcRef(index);
    }

    /** Function {@code index} (an import or one of the module's own), callable through its func ref. */
    public ExternValue.WasmFunction function(int index) {
        return new ExternValue.WasmFunction(funcRef(index), module.functionType(index), code,
                module.functionTypeIndex(index), this);
    }

    /** The export named {@code name}, or null. */
    public ExternValue export(String name) {
        for (Export e : module.exports()) {
            if (e.name().equals(name)) return extern(e);
        }
        return null;
    }

    /** Every export, in module order. */
    public Map<String, ExternValue> exports() {
        Map<String, ExternValue> out = new java.util.LinkedHashMap<>();
        for (Export e : module.exports()) out.put(e.name(), extern(e));
        return out;
    }

    private ExternValue extern(Export e) {
        return switch (e.kind()) {
            case FUNC -> function(e.index());
            case TABLE -> new ExternValue.Table(tables[e.index()]);
            case MEMORY -> new ExternValue.Memory(memories[e.index()]);
            case GLOBAL -> new ExternValue.Global(globals[e.index()]);
            case TAG -> new ExternValue.Tag(tags[e.index()]);
        };
    }

    /** Memory {@code index}. */
    public LinearMemory memory(int index) {
        return memories[index];
    }

    public TableInstance table(int index) {
        return tables[index];
    }

    /** Tag {@code index} of the tag index space. */
    public TagInstance tag(int index) {
        return tags[index];
    }

    public GlobalCell global(int index) {
        return globals[index];
    }

    /**
     * The lifetime of this instance's native state: its owner's use and those of the instances importing from it
     * (calls are tracked by {@link ActiveCalls}; the owner's use is given back once none is left).
     */
    public NativeLifetime lifetime() {
        return lifetime;
    }

    /**
     * Closes without waiting: later calls fail with IllegalStateException; the native state is freed when the last
     * call in flight has returned (on the drain thread of {@link ActiveCalls}) and no instance importing from this
     * one is left (at once when there are none). Func refs of this instance stored in tables of instances that do not
     * import from it dangle afterwards. Idempotent.
     */
    @Override
    public void close() {
        ActiveCalls.close(this, false);
    }

    /**
     * Closes like {@link #close()}, but, unless the current thread is inside a call into wasm (then it returns at
     * once), waits for the calls of other threads to return and, when no instance importing from this one is left,
     * for the native state to be freed.
     */
    public void closeAndWait() {
        ActiveCalls.close(this, true);
        if (!FunctionCaller.insideCall()) lifetime.awaitFree();
    }

    /** Sets the guard word once; returns whether this call set it. */
    synchronized boolean setGuard() {
        if (guardSet) return false;
        guardSet = true;
        ValueLayout.JAVA_LONG.varHandle().setVolatile(guard, 0L, 1L);
        return true;
    }


    /** Run once when the native state is freed (the engine's instance count), or null. */
    private volatile Runnable onFree;

    /** Runs {@code action} when this instance's native state is freed (set once, before it can be freed). */
    public void onFree(Runnable action) {
        this.onFree = action;
    }

    /** Frees the context and everything this instance created; runs once, when the last use is given back. */
    private void free() {
        BY_ID.remove(id);
        if (code.compilesOnCall()) code.detach(vmctx);
        Runnable freed = onFree;
        if (freed != null) freed.run();
        try {
            for (int k = 0; k < memories.length; k++) {
                if (memories[k] != null) memories[k].stopMirroring(vmctx + layout.memorySize(k));
            }
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + owned.get(i), e);
                }
            }
            for (long record : hostRecords) HostBridge.freeRecord(record);
            synchronized (pollLock) {
                unmapped = true;
                if (pollRegion != null) pollRegion.close();
                MemoryMapping.munmap(mapping, mappingBytes);
            }
        } finally {
            for (NativeLifetime dependency : dependencies) dependency.releaseDependant();
        }
    }

    /**
     * Attaches the embedder's object for this instance (the API's {@code Instance}), which host functions of this
     * instance reach through the context of their call. Held weakly: the embedder's object owns this one.
     */
    public void attach(Object embedder) {
        this.embedder = new java.lang.ref.WeakReference<>(embedder);
    }

    /** The object given to {@link #attach}, or null (none, or no longer reachable). */
    public Object attached() {
        java.lang.ref.WeakReference<Object> ref = embedder;
        return ref == null ? null : ref.get();
    }

    /** Whether {@link #close()} was called (one volatile read of the guard word). */
    public boolean isClosed() {
        return (long) ValueLayout.JAVA_LONG.varHandle().getVolatile(guard, 0L) != 0;
    }

    // ---------------------------------------------------------------- fuel (code compiled with fuel metering)

    /**
     * What an instance asks when its fuel runs out: the fuel to add (> 0) to go on exactly where the code stopped,
     * or 0 to trap with {@code OUT_OF_FUEL}. Called on the thread that ran out, inside its wasm call; may throw
     * (the trap then carries the exception, as for host functions).
     */
    @FunctionalInterface
    public interface FuelRefill {
        long refill() throws Throwable;
    }

    private volatile boolean fuelMetered;
    private volatile FuelRefill fuelRefill;

    /**
     * Turns on this instance's fuel (its code must be compiled with fuel metering): stores the out-of-fuel stub's
     * address in the vmctx and sets the budget to {@code fuel}. Before the start function runs.
     */
    public void enableFuel(long fuel, FuelRefill refill) {
        NativeHeap.putLong(vmctx + layout.fuelStub(), FuelStub.address());
        fuelMetered = true;
        fuelRefill = refill;
        setFuel(fuel);
    }

    /** Whether {@link #enableFuel} was called. */
    public boolean fuelMetered() {
        return fuelMetered;
    }

    /** Sets the fuel left to {@code fuel} (>= 0): the counter becomes {@code -fuel}. */
    public void setFuel(long fuel) {
        if (fuel < 0) throw new IllegalArgumentException("negative fuel: " + fuel);
        NativeHeap.putLong(vmctx + layout.fuel(), -fuel);
    }

    /**
     * The fuel left: the budget minus what was consumed, 0 when more was consumed than the budget (the counter is
     * checked only at function entries and loop headers, so it may overshoot until the next check).
     */
    public long fuel() {
        long counter = NativeHeap.getLong(vmctx + layout.fuel());
        return counter >= 0 ? 0 : -counter;
    }

    /** Replaces the handler asked when the fuel runs out (null: none, the code traps). */
    public void fuelRefill(FuelRefill refill) {
        fuelRefill = refill;
    }

    /**
     * Called by the out-of-fuel stub when a check found the counter positive: asks the handler for fuel until the
     * counter is not positive any more; 0 to go on, or {@code OUT_OF_FUEL}'s trap code.
     */
    long refuel() throws Throwable {
        long address = vmctx + layout.fuel();
        while (NativeHeap.getLong(address) > 0) {
            FuelRefill refill = fuelRefill;
            if (refill == null) return TrapCode.OUT_OF_FUEL.code();
            long more = refill.refill();
            if (more < 0) throw new IllegalArgumentException("a fuel handler returned negative fuel: " + more);
            if (more == 0) return TrapCode.OUT_OF_FUEL.code();
            long counter = NativeHeap.getLong(address);
            long next = counter - more;
            NativeHeap.putLong(address, next > counter ? Long.MIN_VALUE : next);   // saturates
        }
        return 0;
    }
}
